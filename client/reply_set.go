package client

import "github.com/actoredis/actoredis/resp"

// The decoders of the set group (SSCAN's ScanPage is in reply.go). Each
// gives the same Go value for a RESP2 and a RESP3 reply.

// setToBools reads SMISMEMBER: an array of 1/0 integers (RESP2 and RESP3).
func setToBools(v resp.Value) ([]bool, error) { return v.AsBools() }
