//go:build integration

package integration

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/actoredis/actoredis/client"
)

var (
	palermo = client.GeoLocation{Name: "Palermo", Longitude: 13.361389, Latitude: 38.115556}
	catania = client.GeoLocation{Name: "Catania", Longitude: 15.087269, Latitude: 37.502669}
)

const (
	palermoHash = int64(3479099956230698)
	cataniaHash = int64(3479447370796909)
)

// assertLocations compares search results field by field, the floats
// within a small delta.
func assertLocations(t *testing.T, want, got []client.GeoLocation) {
	t.Helper()
	require.Len(t, got, len(want))
	for i := range want {
		assert.Equal(t, want[i].Name, got[i].Name)
		assert.InDelta(t, want[i].Longitude, got[i].Longitude, 1e-5, want[i].Name)
		assert.InDelta(t, want[i].Latitude, got[i].Latitude, 1e-5, want[i].Name)
		assert.InDelta(t, want[i].Dist, got[i].Dist, 1e-3, want[i].Name)
		assert.Equal(t, want[i].GeoHash, got[i].GeoHash, want[i].Name)
	}
}

func TestGeoAddPosDistHash(t *testing.T) {
	eachProtocol(t, client.Options{}, func(t *testing.T, c *client.Client, key func(string) string) {
		ctx := context.Background()
		k := key("sicily")
		assert.Equal(t, int64(2), valueOf(t, c.GeoAdd(ctx, k, palermo, catania)))
		assert.Equal(t, int64(0), valueOf(t, c.GeoAdd(ctx, k, palermo)))
		moved := client.GeoLocation{Name: "Palermo", Longitude: 13.4, Latitude: 38.1}
		assert.Equal(t, int64(0), valueOf(t, c.GeoAddWith(ctx, k, client.GeoAddOptions{Condition: client.AddOnly, Changed: true}, moved)))
		assert.Equal(t, int64(0), valueOf(t, c.GeoAddWith(ctx, k, client.GeoAddOptions{Condition: client.UpdateOnly},
			client.GeoLocation{Name: "Nowhere", Longitude: 1, Latitude: 1})))
		assert.Equal(t, int64(1), valueOf(t, c.GeoAddWith(ctx, k, client.GeoAddOptions{Condition: client.UpdateOnly, Changed: true}, moved)))
		assert.Equal(t, int64(1), valueOf(t, c.GeoAddWith(ctx, k, client.GeoAddOptions{Changed: true}, palermo)))
		assert.Equal(t, int64(2), valueOf(t, c.ZCard(ctx, k)))

		pos := valueOf(t, c.GeoPos(ctx, k, "Palermo", "Nowhere", "Catania"))
		require.Len(t, pos, 3)
		require.NotNil(t, pos[0])
		assert.InDelta(t, palermo.Longitude, pos[0].Longitude, 1e-5)
		assert.InDelta(t, palermo.Latitude, pos[0].Latitude, 1e-5)
		assert.Nil(t, pos[1])
		require.NotNil(t, pos[2])
		assert.InDelta(t, catania.Latitude, pos[2].Latitude, 1e-5)

		assert.InDelta(t, 166274.1516, valueOf(t, c.GeoDist(ctx, k, "Palermo", "Catania", client.GeoMeters)), 1e-3)
		assert.InDelta(t, 166.2742, valueOf(t, c.GeoDist(ctx, k, "Palermo", "Catania", client.GeoKilometers)), 1e-3)
		assert.InDelta(t, 103.3182, valueOf(t, c.GeoDist(ctx, k, "Palermo", "Catania", client.GeoMiles)), 1e-3)
		assert.InDelta(t, 545518.8700, valueOf(t, c.GeoDist(ctx, k, "Palermo", "Catania", client.GeoFeet)), 1e-2)
		assert.ErrorIs(t, c.GeoDist(ctx, k, "Palermo", "Nowhere", client.GeoMeters).Err(), client.ErrNil)

		assert.Equal(t, []string{"sqc8b49rny0", "", "sqdtr74hyu0"}, valueOf(t, c.GeoHash(ctx, k, "Palermo", "Nowhere", "Catania")))
		assert.ErrorIs(t, c.GeoAdd(ctx, k).Err(), client.ErrInvalidArg)
		assert.ErrorIs(t, c.GeoDist(ctx, k, "a", "b", client.GeoUnit(9)).Err(), client.ErrInvalidArg)
	})
}

func TestGeoSearch(t *testing.T) {
	eachProtocol(t, client.Options{}, func(t *testing.T, c *client.Client, key func(string) string) {
		ctx := context.Background()
		k, dst := key("sicily"), key("dst")
		valueOf(t, c.GeoAdd(ctx, k, palermo, catania,
			client.GeoLocation{Name: "edge1", Longitude: 12.758489, Latitude: 38.788135},
			client.GeoLocation{Name: "edge2", Longitude: 17.241510, Latitude: 38.788135}))

		around := client.GeoFromLonLat(15, 37)
		assert.ElementsMatch(t, []string{"Palermo", "Catania"}, valueOf(t, c.GeoSearch(ctx, k, around, client.GeoByRadius(200, client.GeoKilometers))))
		assert.ElementsMatch(t, []string{"Palermo", "Catania", "edge1", "edge2"},
			valueOf(t, c.GeoSearch(ctx, k, around, client.GeoByBox(400, 400, client.GeoKilometers))))
		assert.ElementsMatch(t, []string{"Palermo", "Catania", "edge1"},
			valueOf(t, c.GeoSearch(ctx, k, client.GeoFromMember("Palermo"), client.GeoByRadius(170000, client.GeoMeters))))

		all := client.GeoSearchOptions{Order: client.SortAsc, WithCoord: true, WithDist: true, WithHash: true}
		got := valueOf(t, c.GeoSearchWith(ctx, k, around, client.GeoByRadius(200, client.GeoKilometers), all))
		assertLocations(t, []client.GeoLocation{
			{Name: "Catania", Longitude: catania.Longitude, Latitude: catania.Latitude, Dist: 56.4413, GeoHash: cataniaHash},
			{Name: "Palermo", Longitude: palermo.Longitude, Latitude: palermo.Latitude, Dist: 190.4424, GeoHash: palermoHash},
		}, got)
		got = valueOf(t, c.GeoSearchWith(ctx, k, around, client.GeoByRadius(200, client.GeoKilometers),
			client.GeoSearchOptions{Order: client.SortDesc, Count: 1, WithDist: true}))
		assertLocations(t, []client.GeoLocation{{Name: "Palermo", Dist: 190.4424}}, got)
		got = valueOf(t, c.GeoSearchWith(ctx, k, around, client.GeoByRadius(200, client.GeoKilometers),
			client.GeoSearchOptions{Order: client.SortAsc, WithHash: true}))
		assertLocations(t, []client.GeoLocation{{Name: "Catania", GeoHash: cataniaHash}, {Name: "Palermo", GeoHash: palermoHash}}, got)
		got = valueOf(t, c.GeoSearchWith(ctx, k, around, client.GeoByRadius(200, client.GeoKilometers),
			client.GeoSearchOptions{Order: client.SortAsc, WithCoord: true}))
		assertLocations(t, []client.GeoLocation{catania, palermo}, got)
		got = valueOf(t, c.GeoSearchWith(ctx, k, around, client.GeoByRadius(200, client.GeoKilometers),
			client.GeoSearchOptions{Order: client.SortAsc}))
		assertLocations(t, []client.GeoLocation{{Name: "Catania"}, {Name: "Palermo"}}, got)
		assert.Len(t, valueOf(t, c.GeoSearchWith(ctx, k, around, client.GeoByBox(400, 400, client.GeoKilometers),
			client.GeoSearchOptions{Count: 3, Any: true})), 3)

		assert.Equal(t, int64(2), valueOf(t, c.GeoSearchStore(ctx, dst, k, around, client.GeoByRadius(200, client.GeoKilometers))))
		assert.Equal(t, []string{"sqc8b49rny0", "sqdtr74hyu0"}, valueOf(t, c.GeoHash(ctx, dst, "Palermo", "Catania")))
		assert.Equal(t, int64(1), valueOf(t, c.GeoSearchStoreWith(ctx, dst, k, around, client.GeoByRadius(200, client.GeoKilometers),
			client.GeoSearchStoreOptions{Order: client.SortAsc, Count: 1, StoreDist: true})))
		assert.Equal(t, []client.Z{{Member: "Catania", Score: 56.4412578701582}}, valueOf(t, c.ZRangeWithScores(ctx, dst, 0, -1, client.ZRangeOptions{})))

		assert.ErrorIs(t, c.GeoSearch(ctx, k, client.GeoCenter{}, client.GeoByRadius(1, client.GeoMeters)).Err(), client.ErrInvalidArg)
		assert.ErrorIs(t, c.GeoSearch(ctx, k, around, client.GeoShape{}).Err(), client.ErrInvalidArg)
		assert.ErrorIs(t, c.GeoSearchWith(ctx, k, around, client.GeoByRadius(1, client.GeoMeters), client.GeoSearchOptions{Any: true}).Err(),
			client.ErrInvalidArg)
		var se *client.Error
		assert.ErrorAs(t, c.GeoSearch(ctx, k, client.GeoFromMember("Nowhere"), client.GeoByRadius(1, client.GeoMeters)).Err(), &se)
	})
}

func TestGeoRadius(t *testing.T) {
	eachProtocol(t, client.Options{}, func(t *testing.T, c *client.Client, key func(string) string) {
		ctx := context.Background()
		k := key("sicily")
		valueOf(t, c.GeoAdd(ctx, k, palermo, catania))
		opts := client.GeoSearchOptions{Order: client.SortAsc, WithCoord: true, WithDist: true, WithHash: true}
		want := []client.GeoLocation{
			{Name: "Catania", Longitude: catania.Longitude, Latitude: catania.Latitude, Dist: 56.4413, GeoHash: cataniaHash},
			{Name: "Palermo", Longitude: palermo.Longitude, Latitude: palermo.Latitude, Dist: 190.4424, GeoHash: palermoHash},
		}

		assert.ElementsMatch(t, []string{"Palermo", "Catania"}, valueOf(t, c.GeoRadius(ctx, k, 15, 37, 200, client.GeoKilometers)))
		assert.Equal(t, []string{"Catania"}, valueOf(t, c.GeoRadius(ctx, k, 15, 37, 100, client.GeoKilometers)))
		assertLocations(t, want, valueOf(t, c.GeoRadiusWith(ctx, k, 15, 37, 200, client.GeoKilometers, opts)))
		assert.ElementsMatch(t, []string{"Palermo", "Catania"}, valueOf(t, c.GeoRadiusRO(ctx, k, 15, 37, 200, client.GeoKilometers)))
		assertLocations(t, want, valueOf(t, c.GeoRadiusROWith(ctx, k, 15, 37, 200, client.GeoKilometers, opts)))

		assert.Equal(t, []string{"Palermo"}, valueOf(t, c.GeoRadiusByMember(ctx, k, "Palermo", 100, client.GeoKilometers)))
		assert.ElementsMatch(t, []string{"Palermo", "Catania"}, valueOf(t, c.GeoRadiusByMemberRO(ctx, k, "Palermo", 200, client.GeoMiles)))
		byMember := []client.GeoLocation{{Name: "Palermo", Dist: 0}, {Name: "Catania", Dist: 166.2742}}
		assertLocations(t, byMember, valueOf(t, c.GeoRadiusByMemberWith(ctx, k, "Palermo", 200, client.GeoKilometers,
			client.GeoSearchOptions{Order: client.SortAsc, WithDist: true})))
		assertLocations(t, byMember[1:], valueOf(t, c.GeoRadiusByMemberROWith(ctx, k, "Palermo", 200, client.GeoKilometers,
			client.GeoSearchOptions{Order: client.SortDesc, Count: 1, WithDist: true})))
		assert.Equal(t, []string{}, valueOf(t, c.GeoRadius(ctx, key("missing"), 15, 37, 200, client.GeoKilometers)))
	})
}
