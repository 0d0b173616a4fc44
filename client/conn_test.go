package client_test

import (
	"reflect"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/actoredis/actoredis/client"
)

// The commands that change per-connection state are methods of Conn
// alone: calling one on a Client (whose commands spread over shared
// connections), a pipeline or a Tx does not compile.
func TestPerConnectionCommandsAreOnConnOnly(t *testing.T) {
	perConnection := []string{"ClientSetName", "ClientNoEvict", "ClientGetRedir", "ClientTracking",
		"ClientTrackingWith", "ClientCaching", "ClientReply"}
	conn := reflect.TypeFor[*client.Conn]()
	for _, typ := range []reflect.Type{reflect.TypeFor[*client.Client](), reflect.TypeFor[*client.Pipeline](),
		reflect.TypeFor[*client.Tx](), reflect.TypeFor[*client.ClusterClient](), reflect.TypeFor[*client.ClusterPipeline]()} {
		for _, name := range perConnection {
			_, has := typ.MethodByName(name)
			assert.False(t, has, "%v.%s", typ, name)
		}
	}
	for _, name := range perConnection {
		_, has := conn.MethodByName(name)
		assert.True(t, has, "Conn.%s", name)
	}
}
