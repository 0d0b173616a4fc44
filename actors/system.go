package actors

import (
	"log/slog"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/actoredis/actoredis/messages"
)

// newSystem makes the actor system of a Pool or a Cluster. It logs
// through logger (Config's, a silent one unless the user gave one), never
// through protoactor's default logger, and throttles its dead-letter
// reports.
func newSystem(logger *slog.Logger) *actor.ActorSystem {
	return actor.NewActorSystem(
		actor.WithLoggerFactory(func(*actor.ActorSystem) *slog.Logger { return logger }),
		actor.WithDeadLetterThrottleInterval(10*time.Millisecond),
	)
}

// watchDeadLetters makes a message that reaches a stopped actor still
// complete its promise: ErrClosed once closed is, else a ConnError (not
// sent).
func watchDeadLetters(system *actor.ActorSystem, closed <-chan struct{}) {
	system.EventStream.Subscribe(func(evt any) {
		if dl, ok := evt.(*actor.DeadLetterEvent); ok {
			switch m := dl.Message.(type) {
			case messages.Request:
				select {
				case <-closed:
					failRequest(m, ErrClosed)
				default:
					rejectMessage(m)
				}
			case *dialed:
				if m.wire != nil {
					_ = m.wire.conn.Close()
				}
			}
		}
	})
}
