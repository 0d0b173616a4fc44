package client

import "github.com/actoredis/actoredis/resp"

// The decoders of the pubsub group.

// pubsubToCounts reads PUBSUB NUMSUB and SHARDNUMSUB: a map (RESP3) or
// flat array (RESP2) of channel and count.
func pubsubToCounts(v resp.Value) (map[string]int64, error) {
	pairs, err := v.AsPairs()
	if err != nil {
		return nil, err
	}
	out := make(map[string]int64, len(pairs)/2)
	for i := 0; i+1 < len(pairs); i += 2 {
		name, err := pairs[i].AsString()
		if err != nil {
			return nil, err
		}
		if out[name], err = pairs[i+1].AsInt64(); err != nil {
			return nil, err
		}
	}
	return out, nil
}
