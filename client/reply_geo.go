package client

import "github.com/actoredis/actoredis/resp"

// The result types of the geo group and their decoders.

// GeoPos is the position of a geo set member.
type GeoPos struct {
	Longitude, Latitude float64
}

// geoToPositions reads GEOPOS: [lon, lat] per member, null for a missing
// one. Coordinates are bulk strings in RESP2 and doubles in RESP3.
func geoToPositions(v resp.Value) ([]*GeoPos, error) {
	elems, err := v.AsValues()
	if err != nil {
		return nil, err
	}
	out := make([]*GeoPos, len(elems))
	for i, e := range elems {
		if e.IsNull() {
			continue
		}
		p, err := geoPosition(e)
		if err != nil {
			return nil, err
		}
		out[i] = &p
	}
	return out, nil
}

func geoPosition(v resp.Value) (GeoPos, error) {
	fs, err := v.AsFloat64s()
	if err != nil {
		return GeoPos{}, err
	}
	if len(fs) != 2 {
		return GeoPos{}, unexpected(v, "GeoPos")
	}
	return GeoPos{Longitude: fs[0], Latitude: fs[1]}, nil
}

// GeoLocation is a member of a geo set. GeoAdd reads Name, Longitude and
// Latitude. The search commands fill Name, and the other fields as their
// options ask: Longitude and Latitude with WithCoord, Dist (in the query's
// unit) with WithDist, GeoHash (the 52-bit integer score) with WithHash.
type GeoLocation struct {
	Name                string
	Longitude, Latitude float64
	Dist                float64
	GeoHash             int64
}

// geoToLocations reads the search replies: a name per member, or with
// WITHDIST, WITHHASH or WITHCOORD an array [name, dist?, hash?, [lon,
// lat]?] per member. The fields are told apart by their kinds, so one
// reading serves every combination of options: the coordinates are an
// array, the hash an integer, the distance a string (or a double).
func geoToLocations(v resp.Value) ([]GeoLocation, error) {
	elems, err := v.AsValues()
	if err != nil {
		return nil, err
	}
	out := make([]GeoLocation, len(elems))
	for i, e := range elems {
		if e.Kind != resp.KindArray {
			if out[i].Name, err = e.AsString(); err != nil {
				return nil, err
			}
			continue
		}
		if len(e.Elems) == 0 {
			return nil, unexpected(e, "GeoLocation")
		}
		if out[i].Name, err = e.Elems[0].AsString(); err != nil {
			return nil, err
		}
		for _, field := range e.Elems[1:] {
			switch field.Kind {
			case resp.KindArray:
				p, err := geoPosition(field)
				if err != nil {
					return nil, err
				}
				out[i].Longitude, out[i].Latitude = p.Longitude, p.Latitude
			case resp.KindInteger:
				out[i].GeoHash = field.Int
			default:
				if out[i].Dist, err = field.AsFloat64(); err != nil {
					return nil, err
				}
			}
		}
	}
	return out, nil
}
