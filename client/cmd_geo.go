package client

import (
	"context"

	"github.com/actoredis/actoredis/messages"
)

// Commands of the geo group.

// GeoUnit is the unit of a geo distance. The zero value is GeoMeters.
type GeoUnit uint8

// The units of GEODIST and the search commands.
const (
	// GeoMeters is metres (m).
	GeoMeters GeoUnit = iota
	// GeoKilometers is kilometres (km).
	GeoKilometers
	// GeoMiles is miles (mi).
	GeoMiles
	// GeoFeet is feet (ft).
	GeoFeet
)

var geoUnitTokens = tokens[GeoUnit]{typ: "GeoUnit", list: []string{
	GeoMeters: "m", GeoKilometers: "km", GeoMiles: "mi", GeoFeet: "ft",
}}

// String returns the unit's Redis token: "m", "km", "mi", "ft".
func (u GeoUnit) String() string { return geoUnitTokens.name(u) }

// GeoAddOptions are the optional arguments of GEOADD.
type GeoAddOptions struct {
	// Condition: AddOnly (NX) or UpdateOnly (XX).
	Condition AddCondition
	// Changed makes GeoAddWith count the members added and those whose
	// position changed, not only those added (CH).
	Changed bool
}

// GeoAdd sends GEOADD key longitude latitude member ...: it sets the
// positions of locations (Name, Longitude and Latitude are read) and
// returns how many members were added. Since Redis 3.2.0.
func (c cmds) GeoAdd(ctx context.Context, key string, locations ...GeoLocation) *Future[int64] {
	return c.GeoAddWith(ctx, key, GeoAddOptions{}, locations...)
}

// GeoAddWith is GeoAdd with options. NX, XX and CH need Redis 6.2.0. Since
// Redis 3.2.0.
func (c cmds) GeoAddWith(ctx context.Context, key string, opts GeoAddOptions, locations ...GeoLocation) *Future[int64] {
	flags := idem
	if opts.Condition != AddOrUpdate {
		flags = 0
	}
	f := newFuture(c.s, ctx, "GEOADD", flags, toInt64)
	f.b.key(key)
	f.b.token(addConditionTokens.of(opts.Condition))
	f.b.strIf(opts.Changed, "CH")
	if len(locations) == 0 {
		f.b.fail("GeoAdd needs at least one location")
	}
	for _, l := range locations {
		f.b.float(l.Longitude).float(l.Latitude).str(l.Name)
	}
	return send(c.s, f)
}

// GeoDist sends GEODIST key member1 member2 unit: the distance between two
// members in unit. A missing member gives ErrNil. Since Redis 3.2.0.
func (c cmds) GeoDist(ctx context.Context, key, member1, member2 string, unit GeoUnit) *Future[float64] {
	f := newFuture(c.s, ctx, "GEODIST", ro, toFloat64)
	f.b.key(key).str(member1).str(member2).token(geoUnitTokens.of(unit))
	return send(c.s, f)
}

// GeoHash sends GEOHASH key member ...: the 11-character geohash string of
// each member, "" for a missing member. Since Redis 3.2.0.
func (c cmds) GeoHash(ctx context.Context, key string, members ...string) *Future[[]string] {
	f := newFuture(c.s, ctx, "GEOHASH", ro, toStrings)
	f.b.key(key)
	for _, m := range members {
		f.b.str(m)
	}
	return send(c.s, f)
}

// GeoPos sends GEOPOS key member ...: the position of each member, nil for
// a missing member. Since Redis 3.2.0.
func (c cmds) GeoPos(ctx context.Context, key string, members ...string) *Future[[]*GeoPos] {
	f := newFuture(c.s, ctx, "GEOPOS", ro, geoToPositions)
	f.b.key(key)
	for _, m := range members {
		f.b.str(m)
	}
	return send(c.s, f)
}

// GeoCenter is the centre of a geo search, made by GeoFromMember or
// GeoFromLonLat.
type GeoCenter struct {
	member              string
	lonLat              bool
	longitude, latitude float64
}

// GeoFromMember centres a search on a member of the set (FROMMEMBER).
func GeoFromMember(member string) GeoCenter { return GeoCenter{member: member} }

// GeoFromLonLat centres a search on a position (FROMLONLAT).
func GeoFromLonLat(longitude, latitude float64) GeoCenter {
	return GeoCenter{lonLat: true, longitude: longitude, latitude: latitude}
}

// GeoShape is the area of a geo search, made by GeoByRadius or GeoByBox.
type GeoShape struct {
	box           bool
	set           bool
	radius        float64
	width, height float64
	unit          GeoUnit
}

// GeoByRadius searches a circle of radius in unit (BYRADIUS).
func GeoByRadius(radius float64, unit GeoUnit) GeoShape {
	return GeoShape{set: true, radius: radius, unit: unit}
}

// GeoByBox searches an axis-aligned box of width and height in unit
// (BYBOX).
func GeoByBox(width, height float64, unit GeoUnit) GeoShape {
	return GeoShape{set: true, box: true, width: width, height: height, unit: unit}
}

func (b *builder) geoQuery(method string, center GeoCenter, shape GeoShape) {
	switch {
	case center.lonLat:
		b.str("FROMLONLAT").float(center.longitude).float(center.latitude)
	case center.member != "":
		b.str("FROMMEMBER").str(center.member)
	default:
		b.fail(method + " needs a GeoCenter from GeoFromMember or GeoFromLonLat")
	}
	switch {
	case !shape.set:
		b.fail(method + " needs a GeoShape from GeoByRadius or GeoByBox")
	case shape.box:
		b.str("BYBOX").float(shape.width).float(shape.height).token(geoUnitTokens.of(shape.unit))
	default:
		b.str("BYRADIUS").float(shape.radius).token(geoUnitTokens.of(shape.unit))
	}
}

// GeoSearchOptions are the optional arguments of GEOSEARCH, GEORADIUS,
// GEORADIUSBYMEMBER and their read-only forms.
type GeoSearchOptions struct {
	// Order sorts by distance from the centre: SortAsc (ASC) or SortDesc
	// (DESC); SortDefault leaves the server's unspecified order.
	Order SortOrder
	// Count returns at most this many members (COUNT); 0: all.
	Count int64
	// Any, with Count, returns the first Count members found rather than
	// the nearest (ANY).
	Any bool
	// WithCoord fills Longitude and Latitude (WITHCOORD).
	WithCoord bool
	// WithDist fills Dist (WITHDIST).
	WithDist bool
	// WithHash fills GeoHash (WITHHASH).
	WithHash bool
}

func (b *builder) geoOrderCount(method string, order SortOrder, count int64, anyMatch bool) {
	b.token(sortTokens.of(order))
	switch {
	case count < 0:
		b.fail(method + " Count must not be negative")
	case anyMatch && count == 0:
		b.fail(method + " Any needs a Count")
	case count > 0:
		b.str("COUNT").int(count).strIf(anyMatch, "ANY")
	}
}

func (o GeoSearchOptions) append(b *builder, method string) {
	b.geoOrderCount(method, o.Order, o.Count, o.Any)
	b.strIf(o.WithCoord, "WITHCOORD").strIf(o.WithDist, "WITHDIST").strIf(o.WithHash, "WITHHASH")
}

// GeoSearch sends GEOSEARCH key FROMMEMBER|FROMLONLAT ... BYRADIUS|BYBOX
// ...: the names of the members within shape around center. Since Redis
// 6.2.0.
func (c cmds) GeoSearch(ctx context.Context, key string, center GeoCenter, shape GeoShape) *Future[[]string] {
	f := newFuture(c.s, ctx, "GEOSEARCH", ro, toStrings)
	f.b.key(key)
	f.b.geoQuery("GeoSearch", center, shape)
	return send(c.s, f)
}

// GeoSearchWith is GeoSearch with options: the members found, with the
// fields the options ask for. Since Redis 6.2.0.
func (c cmds) GeoSearchWith(ctx context.Context, key string, center GeoCenter, shape GeoShape, opts GeoSearchOptions) *Future[[]GeoLocation] {
	f := newFuture(c.s, ctx, "GEOSEARCH", ro, geoToLocations)
	f.b.key(key)
	f.b.geoQuery("GeoSearchWith", center, shape)
	opts.append(&f.b, "GeoSearchWith")
	return send(c.s, f)
}

// GeoSearchStoreOptions are the optional arguments of GEOSEARCHSTORE.
type GeoSearchStoreOptions struct {
	// Order, Count and Any are those of GeoSearchOptions.
	Order SortOrder
	Count int64
	Any   bool
	// StoreDist stores each member's distance from the centre as its
	// score instead of its position (STOREDIST).
	StoreDist bool
}

// GeoSearchStore sends GEOSEARCHSTORE dst src ...: it stores the members
// GeoSearch would find in src at dst (replacing it) and returns how many.
// Since Redis 6.2.0.
func (c cmds) GeoSearchStore(ctx context.Context, dst, src string, center GeoCenter, shape GeoShape) *Future[int64] {
	return c.GeoSearchStoreWith(ctx, dst, src, center, shape, GeoSearchStoreOptions{})
}

// GeoSearchStoreWith is GeoSearchStore with options. Since Redis 6.2.0.
func (c cmds) GeoSearchStoreWith(ctx context.Context, dst, src string, center GeoCenter, shape GeoShape, opts GeoSearchStoreOptions) *Future[int64] {
	f := newFuture(c.s, ctx, "GEOSEARCHSTORE", idem, toInt64)
	f.b.key(dst).key(src)
	f.b.geoQuery("GeoSearchStore", center, shape)
	f.b.geoOrderCount("GeoSearchStore", opts.Order, opts.Count, opts.Any)
	f.b.strIf(opts.StoreDist, "STOREDIST")
	return send(c.s, f)
}

// The GEORADIUS family: its STORE and STOREDIST options are not offered;
// GeoSearchStore, their successor, does the same.

func geoRadius(s sender, ctx context.Context, name string, flags messages.Flags, key string, longitude, latitude, radius float64, unit GeoUnit) *Future[[]string] {
	f := newFuture(s, ctx, name, flags, toStrings)
	f.b.key(key).float(longitude).float(latitude).float(radius).token(geoUnitTokens.of(unit))
	return f
}

func geoRadiusWith(s sender, ctx context.Context, name string, flags messages.Flags, key string, longitude, latitude, radius float64, unit GeoUnit, opts GeoSearchOptions) *Future[[]GeoLocation] {
	f := newFuture(s, ctx, name, flags, geoToLocations)
	f.b.key(key).float(longitude).float(latitude).float(radius).token(geoUnitTokens.of(unit))
	opts.append(&f.b, name)
	return f
}

func geoRadiusByMember(s sender, ctx context.Context, name string, flags messages.Flags, key, member string, radius float64, unit GeoUnit) *Future[[]string] {
	f := newFuture(s, ctx, name, flags, toStrings)
	f.b.key(key).str(member).float(radius).token(geoUnitTokens.of(unit))
	return f
}

func geoRadiusByMemberWith(s sender, ctx context.Context, name string, flags messages.Flags, key, member string, radius float64, unit GeoUnit, opts GeoSearchOptions) *Future[[]GeoLocation] {
	f := newFuture(s, ctx, name, flags, geoToLocations)
	f.b.key(key).str(member).float(radius).token(geoUnitTokens.of(unit))
	opts.append(&f.b, name)
	return f
}

// GeoRadius sends GEORADIUS key longitude latitude radius unit: the names
// of the members within radius of the position. GeoSearch replaces it.
// Since Redis 3.2.0.
func (c cmds) GeoRadius(ctx context.Context, key string, longitude, latitude, radius float64, unit GeoUnit) *Future[[]string] {
	return send(c.s, geoRadius(c.s, ctx, "GEORADIUS", idem, key, longitude, latitude, radius, unit))
}

// GeoRadiusWith is GeoRadius with options: the members found, with the
// fields the options ask for. ANY needs Redis 6.2.0. Since Redis 3.2.0.
func (c cmds) GeoRadiusWith(ctx context.Context, key string, longitude, latitude, radius float64, unit GeoUnit, opts GeoSearchOptions) *Future[[]GeoLocation] {
	return send(c.s, geoRadiusWith(c.s, ctx, "GEORADIUS", idem, key, longitude, latitude, radius, unit, opts))
}

// GeoRadiusRO is GeoRadius in its read-only form, GEORADIUS_RO, which
// replicas accept. Since Redis 3.2.10.
func (c cmds) GeoRadiusRO(ctx context.Context, key string, longitude, latitude, radius float64, unit GeoUnit) *Future[[]string] {
	return send(c.s, geoRadius(c.s, ctx, "GEORADIUS_RO", ro, key, longitude, latitude, radius, unit))
}

// GeoRadiusROWith is GeoRadiusRO with options. Since Redis 3.2.10.
func (c cmds) GeoRadiusROWith(ctx context.Context, key string, longitude, latitude, radius float64, unit GeoUnit, opts GeoSearchOptions) *Future[[]GeoLocation] {
	return send(c.s, geoRadiusWith(c.s, ctx, "GEORADIUS_RO", ro, key, longitude, latitude, radius, unit, opts))
}

// GeoRadiusByMember sends GEORADIUSBYMEMBER key member radius unit: the
// names of the members within radius of member (itself included).
// GeoSearch replaces it. Since Redis 3.2.0.
func (c cmds) GeoRadiusByMember(ctx context.Context, key, member string, radius float64, unit GeoUnit) *Future[[]string] {
	return send(c.s, geoRadiusByMember(c.s, ctx, "GEORADIUSBYMEMBER", idem, key, member, radius, unit))
}

// GeoRadiusByMemberWith is GeoRadiusByMember with options. ANY needs Redis
// 6.2.0. Since Redis 3.2.0.
func (c cmds) GeoRadiusByMemberWith(ctx context.Context, key, member string, radius float64, unit GeoUnit, opts GeoSearchOptions) *Future[[]GeoLocation] {
	return send(c.s, geoRadiusByMemberWith(c.s, ctx, "GEORADIUSBYMEMBER", idem, key, member, radius, unit, opts))
}

// GeoRadiusByMemberRO is GeoRadiusByMember in its read-only form,
// GEORADIUSBYMEMBER_RO, which replicas accept. Since Redis 3.2.10.
func (c cmds) GeoRadiusByMemberRO(ctx context.Context, key, member string, radius float64, unit GeoUnit) *Future[[]string] {
	return send(c.s, geoRadiusByMember(c.s, ctx, "GEORADIUSBYMEMBER_RO", ro, key, member, radius, unit))
}

// GeoRadiusByMemberROWith is GeoRadiusByMemberRO with options. Since Redis
// 3.2.10.
func (c cmds) GeoRadiusByMemberROWith(ctx context.Context, key, member string, radius float64, unit GeoUnit, opts GeoSearchOptions) *Future[[]GeoLocation] {
	return send(c.s, geoRadiusByMemberWith(c.s, ctx, "GEORADIUSBYMEMBER_RO", ro, key, member, radius, unit, opts))
}
