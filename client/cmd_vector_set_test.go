package client

import (
	"context"
	"encoding/binary"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/actoredis/actoredis/messages"
	"github.com/actoredis/actoredis/resp"
)

// fp32 is the FP32 blob of the components, as the server reads it.
func fp32(values ...float32) string {
	b := make([]byte, 0, 4*len(values))
	for _, f := range values {
		b = binary.LittleEndian.AppendUint32(b, math.Float32bits(f))
	}
	return string(b)
}

func TestVectorSetEncoding(t *testing.T) {
	ctx := context.Background()
	vals := VectorValues(0.5, -1, 2.25)
	tests := []struct {
		name  string
		call  func(c cmds) error
		want  string
		flags messages.Flags
	}{
		{"VAdd VALUES", func(c cmds) error { return c.VAdd(ctx, "v", vals, "a").Err() },
			"VADD v VALUES 3 0.5 -1 2.25 a", 0},
		{"VAdd FP32", func(c cmds) error { return c.VAdd(ctx, "v", VectorFP32([]float32{1, -0.5}), "a").Err() },
			"VADD v FP32 " + fp32(1, -0.5) + " a", 0},
		{"VAdd blob", func(c cmds) error { return c.VAdd(ctx, "v", VectorBlob([]byte(fp32(3))), "a").Err() },
			"VADD v FP32 " + fp32(3) + " a", 0},
		{"VAddWith every option", func(c cmds) error {
			return c.VAddWith(ctx, "v", vals, "a", VAddOptions{Reduce: 2, CAS: true, Quantization: QuantNone,
				EF: 300, Attributes: `{"year":1999}`, M: 32}).Err()
		}, `VADD v REDUCE 2 VALUES 3 0.5 -1 2.25 a CAS NOQUANT EF 300 SETATTR {"year":1999} M 32`, 0},
		{"VAddWith Q8", func(c cmds) error { return c.VAddWith(ctx, "v", vals, "a", VAddOptions{Quantization: QuantQ8}).Err() },
			"VADD v VALUES 3 0.5 -1 2.25 a Q8", 0},
		{"VAddWith BIN", func(c cmds) error {
			return c.VAddWith(ctx, "v", vals, "a", VAddOptions{Quantization: QuantBinary}).Err()
		},
			"VADD v VALUES 3 0.5 -1 2.25 a BIN", 0},
		{"VSim element", func(c cmds) error { return c.VSim(ctx, "v", VSimElement("apple")).Err() }, "VSIM v ELE apple", ro},
		{"VSim vector", func(c cmds) error { return c.VSim(ctx, "v", VSimVector(VectorValues(1, 0))).Err() },
			"VSIM v VALUES 2 1 0", ro},
		{"VSim FP32", func(c cmds) error { return c.VSim(ctx, "v", VSimVector(VectorFP32([]float32{0.25}))).Err() },
			"VSIM v FP32 " + fp32(0.25), ro},
		{"VSimWith every option", func(c cmds) error {
			return c.VSimWith(ctx, "v", VSimElement("apple"), VSimOptions{WithScores: true, WithAttributes: true,
				Count: 3, Epsilon: 0.2, EF: 500, Filter: ".year > 2000", FilterEF: 100, Truth: true, NoThread: true}).Err()
		}, "VSIM v ELE apple WITHSCORES WITHATTRIBS COUNT 3 EPSILON 0.2 EF 500 FILTER .year > 2000 FILTER-EF 100 TRUTH NOTHREAD", ro},
		{"VSimWith none", func(c cmds) error { return c.VSimWith(ctx, "v", VSimElement("a"), VSimOptions{}).Err() },
			"VSIM v ELE a", ro},
		{"VRem", func(c cmds) error { return c.VRem(ctx, "v", "a").Err() }, "VREM v a", idem},
		{"VCard", func(c cmds) error { return c.VCard(ctx, "v").Err() }, "VCARD v", ro},
		{"VDim", func(c cmds) error { return c.VDim(ctx, "v").Err() }, "VDIM v", ro},
		{"VEmb", func(c cmds) error { return c.VEmb(ctx, "v", "a").Err() }, "VEMB v a", ro},
		{"VEmbRaw", func(c cmds) error { return c.VEmbRaw(ctx, "v", "a").Err() }, "VEMB v a RAW", ro},
		{"VGetAttr", func(c cmds) error { return c.VGetAttr(ctx, "v", "a").Err() }, "VGETATTR v a", ro},
		{"VSetAttr", func(c cmds) error { return c.VSetAttr(ctx, "v", "a", `{"x":1}`).Err() }, `VSETATTR v a {"x":1}`, idem},
		{"VSetAttr remove", func(c cmds) error { return c.VSetAttr(ctx, "v", "a", "").Err() }, "VSETATTR v a ", idem},
		{"VInfo", func(c cmds) error { return c.VInfo(ctx, "v").Err() }, "VINFO v", ro},
		{"VLinks", func(c cmds) error { return c.VLinks(ctx, "v", "a").Err() }, "VLINKS v a", ro},
		{"VLinksWithScores", func(c cmds) error { return c.VLinksWithScores(ctx, "v", "a").Err() }, "VLINKS v a WITHSCORES", ro},
		{"VRandMember", func(c cmds) error { return c.VRandMember(ctx, "v").Err() }, "VRANDMEMBER v", ro},
		{"VRandMemberWith", func(c cmds) error { return c.VRandMemberWith(ctx, "v", -3).Err() }, "VRANDMEMBER v -3", ro},
		{"VIsMember", func(c cmds) error { return c.VIsMember(ctx, "v", "a").Err() }, "VISMEMBER v a", ro},
		{"VRange", func(c cmds) error { return c.VRange(ctx, "v", "-", "+").Err() }, "VRANGE v - +", ro},
		{"VRangeWith", func(c cmds) error { return c.VRangeWith(ctx, "v", "(a7", "+", VRangeOptions{Count: 10}).Err() },
			"VRANGE v (a7 + 10", ro},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, c := replying(t, ":1")
			_ = tt.call(c)
			assert.Equal(t, tt.want, s.line())
			assert.Equal(t, tt.flags, s.last().flags, "flags: %v", s.last().flags)
			assert.Equal(t, int(Slot("v")), s.last().slot, "routed by the set's key")
			// The flags the method sets are those Do finds.
			assert.Equal(t, messages.LookupFlags(s.last().args[0], s.last().args[1:]), tt.flags)
		})
	}
}

func TestVectorSetInvalidArguments(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name string
		call func(c cmds) error
	}{
		{"VAdd zero vector", func(c cmds) error { return c.VAdd(ctx, "v", Vector{}, "a").Err() }},
		{"VAdd no values", func(c cmds) error { return c.VAdd(ctx, "v", VectorValues(), "a").Err() }},
		{"VAdd empty FP32", func(c cmds) error { return c.VAdd(ctx, "v", VectorFP32(nil), "a").Err() }},
		{"VAdd blob of 6 bytes", func(c cmds) error { return c.VAdd(ctx, "v", VectorBlob(make([]byte, 6)), "a").Err() }},
		{"VAddWith negative Reduce", func(c cmds) error {
			return c.VAddWith(ctx, "v", VectorValues(1), "a", VAddOptions{Reduce: -1}).Err()
		}},
		{"VAddWith negative EF", func(c cmds) error {
			return c.VAddWith(ctx, "v", VectorValues(1), "a", VAddOptions{EF: -1}).Err()
		}},
		{"VAddWith negative M", func(c cmds) error {
			return c.VAddWith(ctx, "v", VectorValues(1), "a", VAddOptions{M: -2}).Err()
		}},
		{"VAddWith unknown quantization", func(c cmds) error {
			return c.VAddWith(ctx, "v", VectorValues(1), "a", VAddOptions{Quantization: VectorQuantization(9)}).Err()
		}},
		{"VSim zero vector", func(c cmds) error { return c.VSim(ctx, "v", VSimVector(Vector{})).Err() }},
		{"VSim zero query", func(c cmds) error { return c.VSim(ctx, "v", VSimQuery{}).Err() }},
		{"VSimWith negative count", func(c cmds) error {
			return c.VSimWith(ctx, "v", VSimElement("a"), VSimOptions{Count: -1}).Err()
		}},
		{"VSimWith epsilon over 1", func(c cmds) error {
			return c.VSimWith(ctx, "v", VSimElement("a"), VSimOptions{Epsilon: 1.5}).Err()
		}},
		{"VSimWith epsilon NaN", func(c cmds) error {
			return c.VSimWith(ctx, "v", VSimElement("a"), VSimOptions{Epsilon: math.NaN()}).Err()
		}},
		{"VSimWith negative FilterEF", func(c cmds) error {
			return c.VSimWith(ctx, "v", VSimElement("a"), VSimOptions{FilterEF: -1}).Err()
		}},
		{"VRangeWith negative count", func(c cmds) error {
			return c.VRangeWith(ctx, "v", "-", "+", VRangeOptions{Count: -1}).Err()
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, c := replying(t, ":1")
			require.ErrorIs(t, tt.call(c), ErrInvalidArg)
			assert.Empty(t, s.sent, "nothing is sent")
		})
	}
}

func TestVectorString(t *testing.T) {
	assert.Equal(t, "default", QuantDefault.String())
	assert.Equal(t, "NOQUANT", QuantNone.String())
	assert.Equal(t, "Q8", QuantQ8.String())
	assert.Equal(t, "BIN", QuantBinary.String())
	assert.Equal(t, "VectorQuantization(7)", VectorQuantization(7).String())
	assert.Equal(t, 3, VectorValues(1, 2, 3).Dim())
	assert.Equal(t, 2, VectorFP32([]float32{1, 2}).Dim())
	assert.Equal(t, 1, VectorBlob(make([]byte, 4)).Dim())
}

// The replies of the vector-set commands, as their documented reply
// schemas give them, in RESP2 and in RESP3 wire form.
func TestVectorSetReplies(t *testing.T) {
	ctx := context.Background()
	attrs := `{"len":5}`
	both := func(t *testing.T, wires []string, check func(t *testing.T, c cmds)) {
		for _, wire := range wires {
			t.Run(wire[:1], func(t *testing.T) {
				_, c := replying(t, wire)
				check(t, c)
			})
		}
	}
	t.Run("VAdd", func(t *testing.T) {
		for _, tt := range []struct {
			wire string
			want bool
		}{{":1", true}, {":0", false}, {"#t", true}, {"#f", false}} {
			_, c := replying(t, tt.wire)
			got, err := c.VAdd(ctx, "v", VectorValues(1), "a").Result()
			require.NoError(t, err, tt.wire)
			assert.Equal(t, tt.want, got, tt.wire)
			got, err = c.VRem(ctx, "v", "a").Result()
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
			got, err = c.VSetAttr(ctx, "v", "a", "{}").Result()
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
			got, err = c.VIsMember(ctx, "v", "a").Result()
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		}
	})
	t.Run("VSim elements", func(t *testing.T) {
		both(t, []string{"*2\n$5\napple\n$4\npear"}, func(t *testing.T, c cmds) {
			got, err := c.VSim(ctx, "v", VSimElement("apple")).Result()
			require.NoError(t, err)
			assert.Equal(t, []string{"apple", "pear"}, got)
			matches, err := c.VSimWith(ctx, "v", VSimElement("apple"), VSimOptions{Count: 2}).Result()
			require.NoError(t, err)
			assert.Equal(t, []VSimMatch{{Element: "apple"}, {Element: "pear"}}, matches)
		})
		_, c := replying(t, "*0")
		got, err := c.VSim(ctx, "missing", VSimElement("a")).Result()
		require.NoError(t, err)
		assert.Empty(t, got, "a missing key: no element")
	})
	want := []VSimMatch{{Element: "apple", Score: 0.99}, {Element: "pear", Score: 0.5}}
	t.Run("VSim scores", func(t *testing.T) {
		both(t, []string{"*4\n$5\napple\n$4\n0.99\n$4\npear\n$3\n0.5", "%2\n$5\napple\n,0.99\n$4\npear\n,0.5"}, func(t *testing.T, c cmds) {
			got, err := c.VSimWith(ctx, "v", VSimElement("apple"), VSimOptions{WithScores: true}).Result()
			require.NoError(t, err)
			assert.Equal(t, want, got)
		})
	})
	t.Run("VSim attributes", func(t *testing.T) {
		both(t, []string{"*4\n$5\napple\n$9\n" + attrs + "\n$4\npear\n$-1", "%2\n$5\napple\n$9\n" + attrs + "\n$4\npear\n_"}, func(t *testing.T, c cmds) {
			got, err := c.VSimWith(ctx, "v", VSimElement("apple"), VSimOptions{WithAttributes: true}).Result()
			require.NoError(t, err)
			assert.Equal(t, []VSimMatch{{Element: "apple", Attributes: NullString{Value: attrs, Valid: true}}, {Element: "pear"}}, got)
		})
	})
	t.Run("VSim scores and attributes", func(t *testing.T) {
		both(t, []string{
			"*6\n$5\napple\n$4\n0.99\n$9\n" + attrs + "\n$4\npear\n$3\n0.5\n$-1",
			"%2\n$5\napple\n*2\n,0.99\n$9\n" + attrs + "\n$4\npear\n*2\n,0.5\n_",
		}, func(t *testing.T, c cmds) {
			got, err := c.VSimWith(ctx, "v", VSimElement("apple"), VSimOptions{WithScores: true, WithAttributes: true}).Result()
			require.NoError(t, err)
			w := append([]VSimMatch(nil), want...)
			w[0].Attributes = NullString{Value: attrs, Valid: true}
			assert.Equal(t, w, got)
		})
	})
	t.Run("VSim wrong shapes", func(t *testing.T) {
		for _, tt := range []struct {
			wire string
			opts VSimOptions
		}{
			{"*3\n$1\na\n$1\n1\n$1\nb", VSimOptions{WithScores: true}},
			{"*2\n$1\na\n$3\nnot", VSimOptions{WithScores: true}},
			{"%1\n$1\na\n*1\n,1", VSimOptions{WithScores: true, WithAttributes: true}},
			{"%1\n$1\na\n,1", VSimOptions{WithScores: true, WithAttributes: true}},
			{":1", VSimOptions{}},
		} {
			_, c := replying(t, tt.wire)
			_, err := c.VSimWith(ctx, "v", VSimElement("a"), tt.opts).Result()
			assert.ErrorIs(t, err, resp.ErrUnexpectedType, tt.wire)
		}
	})
	t.Run("VEmb", func(t *testing.T) {
		both(t, []string{"*2\n$3\n0.5\n$4\n-1.5", "*2\n,0.5\n,-1.5"}, func(t *testing.T, c cmds) {
			got, err := c.VEmb(ctx, "v", "a").Result()
			require.NoError(t, err)
			assert.Equal(t, []float64{0.5, -1.5}, got)
		})
		both(t, []string{"$-1", "_", "*-1"}, func(t *testing.T, c cmds) {
			_, err := c.VEmb(ctx, "v", "missing").Result()
			assert.ErrorIs(t, err, ErrNil)
			_, err = c.VEmbRaw(ctx, "v", "missing").Result()
			assert.ErrorIs(t, err, ErrNil)
		})
	})
	t.Run("VEmbRaw", func(t *testing.T) {
		blob := fp32(0.6, 0.8)
		both(t, []string{"*3\n+fp32\n$8\n" + blob + "\n+5", "*3\n+fp32\n$8\n" + blob + "\n,5"}, func(t *testing.T, c cmds) {
			got, err := c.VEmbRaw(ctx, "v", "a").Result()
			require.NoError(t, err)
			assert.Equal(t, VEmbRaw{Quantization: "fp32", Data: []byte(blob), Norm: 5}, got)
		})
		both(t, []string{"*4\n+q8\n$2\n\x7f\x81\n+3.14\n+0.0078", "*4\n+q8\n$2\n\x7f\x81\n,3.14\n,0.0078"}, func(t *testing.T, c cmds) {
			got, err := c.VEmbRaw(ctx, "v", "a").Result()
			require.NoError(t, err)
			assert.Equal(t, VEmbRaw{Quantization: "q8", Data: []byte{0x7f, 0x81}, Norm: 3.14, Range: 0.0078}, got)
		})
		_, c := replying(t, "*2\n+q8\n$0\n\n")
		_, err := c.VEmbRaw(ctx, "v", "a").Result()
		assert.ErrorIs(t, err, resp.ErrUnexpectedType)
	})
	t.Run("VGetAttr", func(t *testing.T) {
		both(t, []string{"+" + attrs, "$9\n" + attrs}, func(t *testing.T, c cmds) {
			got, err := c.VGetAttr(ctx, "v", "a").Result()
			require.NoError(t, err)
			assert.Equal(t, attrs, got)
		})
		both(t, []string{"$-1", "_"}, func(t *testing.T, c cmds) {
			_, err := c.VGetAttr(ctx, "v", "a").Result()
			assert.ErrorIs(t, err, ErrNil)
		})
	})
	t.Run("VInfo", func(t *testing.T) {
		body := "$10\nquant-type\n$4\nint8\n$6\nhnsw-m\n:16\n$10\nvector-dim\n:300\n$20\nprojection-input-dim\n:0\n" +
			"$4\nsize\n:3000\n$9\nmax-level\n:12\n$16\nattributes-count\n:2\n$8\nvset-uid\n:1\n$17\nhnsw-max-node-uid\n:3000"
		both(t, []string{"*18\n" + body, "%9\n" + body}, func(t *testing.T, c cmds) {
			got, err := c.VInfo(ctx, "v").Result()
			require.NoError(t, err)
			assert.Equal(t, "int8", got.Quantization)
			assert.Equal(t, VInfo{Quantization: "int8", Dim: 300, Size: 3000, MaxLevel: 12, M: 16, AttributesCount: 2,
				UID: 1, MaxNodeUID: 3000, Fields: got.Fields}, got)
			assert.Len(t, got.Fields, 9)
			assert.Equal(t, "300", got.Fields["vector-dim"])
		})
		both(t, []string{"*-1", "_"}, func(t *testing.T, c cmds) {
			_, err := c.VInfo(ctx, "missing").Result()
			assert.ErrorIs(t, err, ErrNil)
		})
		_, c := replying(t, "*2\n$4\nsize\n$3\nbig")
		_, err := c.VInfo(ctx, "v").Result()
		assert.ErrorIs(t, err, resp.ErrUnexpectedType)
	})
	t.Run("VLinks", func(t *testing.T) {
		both(t, []string{"*2\n*2\n$1\nb\n$1\nc\n*1\n$1\nd"}, func(t *testing.T, c cmds) {
			got, err := c.VLinks(ctx, "v", "a").Result()
			require.NoError(t, err)
			assert.Equal(t, [][]string{{"b", "c"}, {"d"}}, got)
		})
		both(t, []string{"*2\n*4\n$1\nb\n$3\n0.9\n$1\nc\n$3\n0.5\n*2\n$1\nd\n$4\n0.25",
			"*2\n%2\n$1\nb\n,0.9\n$1\nc\n,0.5\n%1\n$1\nd\n,0.25"}, func(t *testing.T, c cmds) {
			got, err := c.VLinksWithScores(ctx, "v", "a").Result()
			require.NoError(t, err)
			assert.Equal(t, [][]VSimMatch{{{Element: "b", Score: 0.9}, {Element: "c", Score: 0.5}}, {{Element: "d", Score: 0.25}}}, got)
		})
		both(t, []string{"$-1", "_"}, func(t *testing.T, c cmds) {
			_, err := c.VLinks(ctx, "v", "missing").Result()
			assert.ErrorIs(t, err, ErrNil)
			_, err = c.VLinksWithScores(ctx, "v", "missing").Result()
			assert.ErrorIs(t, err, ErrNil)
		})
	})
	t.Run("VRandMember and VRange", func(t *testing.T) {
		both(t, []string{"$1\na"}, func(t *testing.T, c cmds) {
			got, err := c.VRandMember(ctx, "v").Result()
			require.NoError(t, err)
			assert.Equal(t, "a", got)
		})
		both(t, []string{"$-1", "_"}, func(t *testing.T, c cmds) {
			_, err := c.VRandMember(ctx, "missing").Result()
			assert.ErrorIs(t, err, ErrNil)
		})
		both(t, []string{"*2\n$1\na\n$1\nb"}, func(t *testing.T, c cmds) {
			got, err := c.VRandMemberWith(ctx, "v", 2).Result()
			require.NoError(t, err)
			assert.Equal(t, []string{"a", "b"}, got)
			got, err = c.VRange(ctx, "v", "-", "+").Result()
			require.NoError(t, err)
			assert.Equal(t, []string{"a", "b"}, got)
		})
	})
	t.Run("counts", func(t *testing.T) {
		_, c := replying(t, ":300")
		assert.Equal(t, int64(300), c.VDim(ctx, "v").Val())
		assert.Equal(t, int64(300), c.VCard(ctx, "v").Val())
	})
	t.Run("errors", func(t *testing.T) {
		for _, msg := range []string{
			"ERR Vector dimension mismatch - got 2 but set has 3",
			"ERR element not found in set",
			"ERR key does not exist",
			"WRONGTYPE Operation against a key holding the wrong kind of value",
		} {
			_, c := replying(t, "-"+msg)
			var se *Error
			for _, err := range []error{
				c.VAdd(ctx, "v", VectorValues(1, 2), "a").Err(),
				c.VSimWith(ctx, "v", VSimElement("a"), VSimOptions{WithScores: true}).Err(),
				c.VDim(ctx, "v").Err(),
				c.VEmbRaw(ctx, "v", "a").Err(),
				c.VInfo(ctx, "v").Err(),
				c.VLinksWithScores(ctx, "v", "a").Err(),
			} {
				require.ErrorAs(t, err, &se)
				assert.Equal(t, msg, se.Message)
			}
		}
	})
}
