package client

import "github.com/actoredis/actoredis/resp"

// The replies of the hash-field expiration commands (cmd_hash_ttl.go).

// toInt64s reads an array of integers, one per field: HEXPIRE, HTTL,
// HPERSIST and the rest of the family. Redis 7.4 and Valkey 9 answer -2
// per field for a missing hash; an empty array (the reply Redis 7.4's
// schema documents for one) gives an empty slice.
func toInt64s(v resp.Value) ([]int64, error) { return v.AsInt64s() }
