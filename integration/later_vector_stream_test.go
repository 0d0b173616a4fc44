//go:build integration

package integration

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/actoredis/actoredis/client"
)

// TestLaterCommandsVectorAndStream runs the vector-set commands of Redis
// 8.0 and 8.4 and the stream commands and arguments of Redis 8.2 on every
// server of the matrix, none of which has them (COMMAND INFO and COMMAND
// DOCS say so, checked first): each server answers with its own refusal,
// an unknown command or its error for a token it does not know, and
// nothing else is lost - the commands queued around them in a pipeline
// succeed, and the connection keeps working.
func TestLaterCommandsVectorAndStream(t *testing.T) {
	ctx := context.Background()
	eachProtocol(t, client.Options{}, func(t *testing.T, c *client.Client, key func(string) string) {
		v, s := key("films"), key("jobs")
		t.Logf("%s %s", c.HelloInfo().Name, c.HelloInfo().Version)
		vals := client.VectorValues(0.5, 1)
		vector := map[string]func() error{
			"vadd": func() error {
				return c.VAddWith(ctx, v, client.VectorFP32([]float32{0.5, 1}), "alien",
					client.VAddOptions{Quantization: client.QuantNone, Attributes: `{"year":1979}`}).Err()
			},
			"vsim": func() error {
				return c.VSimWith(ctx, v, client.VSimVector(vals), client.VSimOptions{WithScores: true, WithAttributes: true, Count: 3}).Err()
			},
			"vrem":        func() error { return c.VRem(ctx, v, "alien").Err() },
			"vcard":       func() error { return c.VCard(ctx, v).Err() },
			"vdim":        func() error { return c.VDim(ctx, v).Err() },
			"vemb":        func() error { return c.VEmbRaw(ctx, v, "alien").Err() },
			"vgetattr":    func() error { return c.VGetAttr(ctx, v, "alien").Err() },
			"vsetattr":    func() error { return c.VSetAttr(ctx, v, "alien", `{}`).Err() },
			"vinfo":       func() error { return c.VInfo(ctx, v).Err() },
			"vlinks":      func() error { return c.VLinksWithScores(ctx, v, "alien").Err() },
			"vrandmember": func() error { return c.VRandMemberWith(ctx, v, 2).Err() },
			"vismember":   func() error { return c.VIsMember(ctx, v, "alien").Err() },
			"vrange":      func() error { return c.VRangeWith(ctx, v, "-", "+", client.VRangeOptions{Count: 10}).Err() },
			"xdelex":      func() error { return c.XDelEx(ctx, s, client.XRefDelete, "1-0").Err() },
			"xackdel":     func() error { return c.XAckDel(ctx, s, "workers", client.XRefAcked, "1-0").Err() },
		}
		for name, call := range vector {
			require.False(t, serverHas(t, c, name), "%s %s has %s: test what it does",
				c.HelloInfo().Name, c.HelloInfo().Version, name)
			requireUnknown(t, call())
		}
		assert.Equal(t, int64(0), valueOf(t, c.Exists(ctx, v)), "no vector set was made")

		// XADD and XTRIM exist, without KEEPREF|DELREF|ACKED: XADD takes
		// the token for the entry's ID, XTRIM for an extra argument.
		for _, tok := range []string{"KEEPREF", "DELREF", "ACKED"} {
			require.False(t, serverHasToken(t, c, "xadd", tok), "xadd has %s: test what it does", tok)
			require.False(t, serverHasToken(t, c, "xtrim", tok), "xtrim has %s: test what it does", tok)
		}
		requireServerError(t, c.XAddWith(ctx, s, client.XAddOptions{Refs: client.XRefAcked, Trim: client.XMaxLen(10)}, "job", 1).Err(),
			"invalid stream id")
		assert.Equal(t, int64(0), valueOf(t, c.Exists(ctx, s)), "XADD with ACKED made no stream")
		valueOf(t, c.XAdd(ctx, s, "job", 1))
		requireServerError(t, c.XTrimWith(ctx, s, client.XMaxLen(0), client.XTrimOptions{Refs: client.XRefDelete}).Err(), "syntax error")
		assert.Equal(t, int64(1), valueOf(t, c.XLen(ctx, s)), "XTRIM with DELREF trimmed nothing")

		// In a pipeline, the refusals fail their own commands only.
		p := c.Pipeline()
		add := p.VAdd(ctx, v, vals, "alien")
		set := p.Set(ctx, key("k"), "v", 0)
		del := p.XDelEx(ctx, s, client.XRefKeep, "1-0")
		length := p.XLen(ctx, s)
		card := p.VCard(ctx, v)
		get := p.Get(ctx, key("k"))
		_ = p.Exec(ctx)
		requireUnknown(t, add.Err())
		requireUnknown(t, del.Err())
		requireUnknown(t, card.Err())
		require.NoError(t, set.Err())
		assert.Equal(t, int64(1), valueOf(t, length))
		assert.Equal(t, "v", valueOf(t, get))
		assert.Equal(t, "PONG", valueOf(t, c.Ping(ctx)), "the connection keeps working")
	})
}
