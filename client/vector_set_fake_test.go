package client_test

import (
	"context"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/actoredis/actoredis/client"
	"github.com/actoredis/actoredis/resp"
	"github.com/actoredis/actoredis/resp/resptest"
)

// The vector-set commands of Redis 8.0 and 8.4 and the stream commands of
// Redis 8.2 through a whole Client, against the scripted fake server,
// under both protocols: the replies are those the commands' documented
// reply schemas give (the fake writes a RESP3 value in RESP2 form on a
// RESP2 connection, as Redis does), and an error reply fails its command
// alone.

func boolean(b bool) resp.Value {
	v := resp.Value{Kind: resp.KindBoolean}
	if b {
		v.Int = 1
	}
	return v
}

func TestVectorSetOverTheWire(t *testing.T) {
	ctx := context.Background()
	null := resp.Value{Kind: resp.KindNull}
	attrs := `{"year":1999}`
	for _, proto := range []int{2, 3} {
		t.Run("resp"+strconv.Itoa(proto), func(t *testing.T) {
			srv := resptest.New(t, resptest.Options{Version: "8.4.0"})
			c := fakeClient(t, srv, client.Options{Protocol: proto})
			srv.Expect("VADD", "films", "VALUES", "2", "0.5", "1", "alien", "SETATTR", attrs).Reply(boolean(true))
			srv.Expect("VADD", "films", "VALUES", "3", "1", "2", "3", "heat").
				ReplyError("ERR Vector dimension mismatch - got 3 but set has 2")
			// VSIM WITHSCORES WITHATTRIBS: a map of element to [score,
			// attributes] in RESP3, a flat array of triples in RESP2.
			sim := resp.Value{Kind: resp.KindMap, Elems: []resp.Value{
				bulk("alien"), {Kind: resp.KindArray, Elems: []resp.Value{resp.Double(1, "1"), bulk(attrs)}},
				bulk("heat"), {Kind: resp.KindArray, Elems: []resp.Value{resp.Double(0.75, "0.75"), null}},
			}}
			if proto == 2 {
				sim = resp.Value{Kind: resp.KindArray, Elems: []resp.Value{
					bulk("alien"), bulk("1"), bulk(attrs), bulk("heat"), bulk("0.75"), null}}
			}
			srv.Expect("VSIM", "films", "ELE", "alien", "WITHSCORES", "WITHATTRIBS", "COUNT", "2", "FILTER", ".year < 2000").Reply(sim)
			srv.Expect("VEMB", "films", "alien").Reply(resp.Value{Kind: resp.KindArray, Elems: []resp.Value{
				resp.Double(0.5, "0.5"), resp.Double(1, "1")}})
			srv.Expect("VINFO", "films").Reply(resp.Value{Kind: resp.KindMap, Elems: []resp.Value{
				bulk("quant-type"), bulk("int8"), bulk("vector-dim"), {Kind: resp.KindInteger, Int: 2},
				bulk("size"), {Kind: resp.KindInteger, Int: 1}}})
			srv.Expect("VLINKS", "films", "alien", "WITHSCORES").Reply(resp.Value{Kind: resp.KindArray, Elems: []resp.Value{
				{Kind: resp.KindMap, Elems: []resp.Value{bulk("heat"), resp.Double(0.75, "0.75")}}}})
			srv.Expect("VGETATTR", "films", "nope").Reply(null)
			srv.Expect("VISMEMBER", "films", "alien").Reply(boolean(true))
			srv.Expect("VRANGE", "films", "-", "+", "10").Reply(resp.Value{Kind: resp.KindArray, Elems: []resp.Value{bulk("alien")}})

			added, err := c.VAddWith(ctx, "films", client.VectorValues(0.5, 1), "alien", client.VAddOptions{Attributes: attrs}).Result()
			require.NoError(t, err)
			assert.True(t, added)
			_, err = c.VAdd(ctx, "films", client.VectorValues(1, 2, 3), "heat").Result()
			var se *client.Error
			require.ErrorAs(t, err, &se)
			assert.Contains(t, se.Message, "dimension mismatch")
			matches, err := c.VSimWith(ctx, "films", client.VSimElement("alien"), client.VSimOptions{
				WithScores: true, WithAttributes: true, Count: 2, Filter: ".year < 2000"}).Result()
			require.NoError(t, err)
			assert.Equal(t, []client.VSimMatch{
				{Element: "alien", Score: 1, Attributes: client.NullString{Value: attrs, Valid: true}},
				{Element: "heat", Score: 0.75},
			}, matches)
			emb, err := c.VEmb(ctx, "films", "alien").Result()
			require.NoError(t, err)
			assert.Equal(t, []float64{0.5, 1}, emb)
			info, err := c.VInfo(ctx, "films").Result()
			require.NoError(t, err)
			assert.Equal(t, client.VInfo{Quantization: "int8", Dim: 2, Size: 1, Fields: info.Fields}, info)
			links, err := c.VLinksWithScores(ctx, "films", "alien").Result()
			require.NoError(t, err)
			assert.Equal(t, [][]client.VSimMatch{{{Element: "heat", Score: 0.75}}}, links)
			_, err = c.VGetAttr(ctx, "films", "nope").Result()
			assert.ErrorIs(t, err, client.ErrNil)
			assert.True(t, c.VIsMember(ctx, "films", "alien").Val())
			assert.Equal(t, []string{"alien"}, c.VRangeWith(ctx, "films", "-", "+", client.VRangeOptions{Count: 10}).Val())
		})
	}
}

func TestStreamRefsOverTheWire(t *testing.T) {
	ctx := context.Background()
	for _, proto := range []int{2, 3} {
		t.Run("resp"+strconv.Itoa(proto), func(t *testing.T) {
			srv := resptest.New(t, resptest.Options{Version: "8.2.0"})
			c := fakeClient(t, srv, client.Options{Protocol: proto})
			srv.Expect("XADD", "jobs", "ACKED", "MAXLEN", "=", "100", "*", "job", "1").Reply(bulk("1-0"))
			srv.Expect("XACKDEL", "jobs", "workers", "ACKED", "IDS", "2", "1-0", "9-9").Reply(ints(2, -1))
			srv.Expect("XDELEX", "jobs", "DELREF", "IDS", "1", "1-0").Reply(ints(1))
			srv.Expect("XTRIM", "jobs", "MAXLEN", "=", "0", "KEEPREF").ReplyError("ERR syntax error")
			srv.Expect("XLEN", "jobs").Reply(resp.Value{Kind: resp.KindInteger, Int: 0})

			id, err := c.XAddWith(ctx, "jobs", client.XAddOptions{Refs: client.XRefAcked, Trim: client.XMaxLen(100)}, "job", 1).Result()
			require.NoError(t, err)
			assert.Equal(t, "1-0", id)
			got, err := c.XAckDel(ctx, "jobs", "workers", client.XRefAcked, "1-0", "9-9").Result()
			require.NoError(t, err)
			assert.Equal(t, []int64{client.XDelReferenced, client.XDelNotFound}, got)
			got, err = c.XDelEx(ctx, "jobs", client.XRefDelete, "1-0").Result()
			require.NoError(t, err)
			assert.Equal(t, []int64{client.XDelDeleted}, got)
			err = c.XTrimWith(ctx, "jobs", client.XMaxLen(0), client.XTrimOptions{Refs: client.XRefKeep}).Err()
			var se *client.Error
			require.ErrorAs(t, err, &se)
			assert.Equal(t, "ERR syntax error", se.Message)
			n, err := c.XLen(ctx, "jobs").Result()
			require.NoError(t, err, "the error failed its command alone")
			assert.Equal(t, int64(0), n)
		})
	}
}
