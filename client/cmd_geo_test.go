package client

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/actoredis/actoredis/messages"
	"github.com/actoredis/actoredis/resp"
)

func TestGeoEncoding(t *testing.T) {
	ctx := context.Background()
	p := GeoLocation{Name: "P", Longitude: 13.5, Latitude: -38.25}
	here := GeoFromLonLat(15, 37)
	tests := []struct {
		name  string
		call  func(c cmds) error
		want  string
		flags messages.Flags
	}{
		{"GeoAdd", func(c cmds) error { return c.GeoAdd(ctx, "g", p).Err() }, "GEOADD g 13.5 -38.25 P", idem},
		{"GeoAddWith", func(c cmds) error {
			return c.GeoAddWith(ctx, "g", GeoAddOptions{Condition: UpdateOnly, Changed: true}, p).Err()
		}, "GEOADD g XX CH 13.5 -38.25 P", 0},
		{"GeoDist", func(c cmds) error { return c.GeoDist(ctx, "g", "a", "b", GeoMeters).Err() }, "GEODIST g a b m", ro},
		{"GeoDist mi", func(c cmds) error { return c.GeoDist(ctx, "g", "a", "b", GeoMiles).Err() }, "GEODIST g a b mi", ro},
		{"GeoHash", func(c cmds) error { return c.GeoHash(ctx, "g", "a", "b").Err() }, "GEOHASH g a b", ro},
		{"GeoPos", func(c cmds) error { return c.GeoPos(ctx, "g", "a").Err() }, "GEOPOS g a", ro},
		{"GeoSearch", func(c cmds) error {
			return c.GeoSearch(ctx, "g", GeoFromMember("a"), GeoByRadius(2.5, GeoKilometers)).Err()
		}, "GEOSEARCH g FROMMEMBER a BYRADIUS 2.5 km", ro},
		{"GeoSearchWith", func(c cmds) error {
			return c.GeoSearchWith(ctx, "g", here, GeoByBox(3, 4, GeoFeet), GeoSearchOptions{Order: SortDesc, Count: 2,
				Any: true, WithCoord: true, WithDist: true, WithHash: true}).Err()
		}, "GEOSEARCH g FROMLONLAT 15 37 BYBOX 3 4 ft DESC COUNT 2 ANY WITHCOORD WITHDIST WITHHASH", ro},
		{"GeoSearchStore", func(c cmds) error {
			return c.GeoSearchStore(ctx, "d", "g", here, GeoByRadius(1, GeoMeters)).Err()
		}, "GEOSEARCHSTORE d g FROMLONLAT 15 37 BYRADIUS 1 m", idem},
		{"GeoSearchStoreWith", func(c cmds) error {
			return c.GeoSearchStoreWith(ctx, "d", "g", here, GeoByRadius(1, GeoMeters),
				GeoSearchStoreOptions{Order: SortAsc, Count: 5, StoreDist: true}).Err()
		}, "GEOSEARCHSTORE d g FROMLONLAT 15 37 BYRADIUS 1 m ASC COUNT 5 STOREDIST", idem},
		{"GeoRadius", func(c cmds) error { return c.GeoRadius(ctx, "g", 15, 37, 200, GeoKilometers).Err() }, "GEORADIUS g 15 37 200 km", idem},
		{"GeoRadiusWith", func(c cmds) error {
			return c.GeoRadiusWith(ctx, "g", 15, 37, 200, GeoKilometers, GeoSearchOptions{WithDist: true}).Err()
		}, "GEORADIUS g 15 37 200 km WITHDIST", idem},
		{"GeoRadiusRO", func(c cmds) error { return c.GeoRadiusRO(ctx, "g", 15, 37, 200, GeoMeters).Err() }, "GEORADIUS_RO g 15 37 200 m", ro},
		{"GeoRadiusROWith", func(c cmds) error {
			return c.GeoRadiusROWith(ctx, "g", 15, 37, 200, GeoMeters, GeoSearchOptions{Count: 1}).Err()
		}, "GEORADIUS_RO g 15 37 200 m COUNT 1", ro},
		{"GeoRadiusByMember", func(c cmds) error {
			return c.GeoRadiusByMember(ctx, "g", "a", 10, GeoMiles).Err()
		}, "GEORADIUSBYMEMBER g a 10 mi", idem},
		{"GeoRadiusByMemberWith", func(c cmds) error {
			return c.GeoRadiusByMemberWith(ctx, "g", "a", 10, GeoMiles, GeoSearchOptions{Order: SortAsc, WithHash: true}).Err()
		}, "GEORADIUSBYMEMBER g a 10 mi ASC WITHHASH", idem},
		{"GeoRadiusByMemberRO", func(c cmds) error {
			return c.GeoRadiusByMemberRO(ctx, "g", "a", 10, GeoMiles).Err()
		}, "GEORADIUSBYMEMBER_RO g a 10 mi", ro},
		{"GeoRadiusByMemberROWith", func(c cmds) error {
			return c.GeoRadiusByMemberROWith(ctx, "g", "a", 10, GeoMiles, GeoSearchOptions{WithCoord: true}).Err()
		}, "GEORADIUSBYMEMBER_RO g a 10 mi WITHCOORD", ro},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, c := newScript(t, func([]string) resp.Value { return resp.Value{Kind: resp.KindInteger, Int: 1} })
			_ = tt.call(c)
			assert.Equal(t, tt.want, s.line())
			assert.Equal(t, tt.flags, s.last().flags, "flags: %v", s.last().flags)
		})
	}
}

func TestGeoArgErrors(t *testing.T) {
	ctx := context.Background()
	s, c := replying(t, ":1")
	r := GeoByRadius(1, GeoMeters)
	for name, err := range map[string]error{
		"GeoAdd none":       c.GeoAdd(ctx, "g").Err(),
		"GeoAdd condition":  c.GeoAddWith(ctx, "g", GeoAddOptions{Condition: 9}, GeoLocation{}).Err(),
		"GeoDist unit":      c.GeoDist(ctx, "g", "a", "b", GeoUnit(4)).Err(),
		"GeoSearch center":  c.GeoSearch(ctx, "g", GeoCenter{}, r).Err(),
		"GeoSearch shape":   c.GeoSearch(ctx, "g", GeoFromMember("a"), GeoShape{}).Err(),
		"GeoSearch any":     c.GeoSearchWith(ctx, "g", GeoFromMember("a"), r, GeoSearchOptions{Any: true}).Err(),
		"GeoSearch count":   c.GeoSearchWith(ctx, "g", GeoFromMember("a"), r, GeoSearchOptions{Count: -1}).Err(),
		"GeoSearch order":   c.GeoSearchWith(ctx, "g", GeoFromMember("a"), r, GeoSearchOptions{Order: 7}).Err(),
		"GeoRadius unit":    c.GeoRadius(ctx, "g", 1, 2, 3, GeoUnit(8)).Err(),
		"GeoSearchStore":    c.GeoSearchStoreWith(ctx, "d", "g", GeoFromMember("a"), r, GeoSearchStoreOptions{Any: true}).Err(),
		"GeoRadiusByMember": c.GeoRadiusByMemberWith(ctx, "g", "a", 1, GeoMeters, GeoSearchOptions{Count: -2}).Err(),
	} {
		assert.ErrorIs(t, err, ErrInvalidArg, name)
	}
	assert.Empty(t, s.sent)
	assert.Equal(t, "km", GeoKilometers.String())
	assert.Equal(t, "GeoUnit(9)", GeoUnit(9).String())
}
