package client

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The search replies: each field is told by its kind, under RESP2 (dist
// and coordinates as strings) and RESP3 (coordinates as doubles).
func TestGeoToLocations(t *testing.T) {
	want := []GeoLocation{{Name: "a", Dist: 1.5, GeoHash: 42, Longitude: 13.25, Latitude: 38.5}, {Name: "b", Dist: 2, GeoHash: 7, Longitude: 1, Latitude: 2}}
	for _, wire := range []string{
		"*2\n*4\n$1\na\n$3\n1.5\n:42\n*2\n$5\n13.25\n$4\n38.5\n*4\n$1\nb\n$1\n2\n:7\n*2\n$1\n1\n$1\n2\n",
		"*2\n*4\n$1\na\n$3\n1.5\n:42\n*2\n,13.25\n,38.5\n*4\n$1\nb\n,2\n:7\n*2\n,1\n,2\n",
	} {
		got, err := convert(t, geoToLocations, wire)
		require.NoError(t, err)
		assert.Equal(t, want, got)
	}
	got, err := convert(t, geoToLocations, "*2\n$1\na\n$1\nb\n")
	require.NoError(t, err)
	assert.Equal(t, []GeoLocation{{Name: "a"}, {Name: "b"}}, got)
	got, err = convert(t, geoToLocations, "*1\n*2\n$1\na\n:9\n")
	require.NoError(t, err)
	assert.Equal(t, []GeoLocation{{Name: "a", GeoHash: 9}}, got)
	for _, bad := range []string{"*1\n*0\n", "*1\n*2\n$1\na\n*1\n$1\n1\n", "*1\n*2\n$1\na\n$1\nx\n"} {
		_, err := convert(t, geoToLocations, bad)
		assert.ErrorIs(t, err, ErrUnexpectedType, bad)
	}
}

func TestGeoToPositions(t *testing.T) {
	for _, wire := range []string{"*2\n*2\n$3\n1.5\n$2\n-2\n*-1\n", "*2\n*2\n,1.5\n,-2\n_\n"} {
		got, err := convert(t, geoToPositions, wire)
		require.NoError(t, err)
		assert.Equal(t, []*GeoPos{{Longitude: 1.5, Latitude: -2}, nil}, got)
	}
	_, err := convert(t, geoToPositions, "*1\n*1\n,1\n")
	assert.ErrorIs(t, err, ErrUnexpectedType)
}
