package actors

import "math/rand/v2"

// fastrand spreads keyless commands over the connections.
func fastrand() uint32 { return rand.Uint32() }
