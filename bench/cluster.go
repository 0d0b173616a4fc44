package main

import (
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	goredis "github.com/redis/go-redis/v9"
	"github.com/redis/rueidis"

	"github.com/actoredis/actoredis/client"
)

// The cluster workload (-cluster): GET and SET of the preloaded keyspace
// against a Redis Cluster named by REDIS_CLUSTER_ADDRS, through each
// library's cluster client, closed loop, clients interleaved within every
// round, median of the rounds. It reports ops/s, p50, p99 and allocations
// per operation; the servers' counters are not read (they are several).
var clusterMode = flag.Bool("cluster", false, "measure the cluster clients (GET and SET) against REDIS_CLUSTER_ADDRS; -conc defaults to 128,1024")

// clusterClientNames are the cluster clients, in report order.
var clusterClientNames = []string{"actoredis", "go-redis", "rueidis"}

var clusterNotes = map[string]string{
	"actoredis": "client.NewCluster(ClusterOptions{Addrs}) defaults: per primary a pool of max(2, GOMAXPROCS) multiplexed connections",
	"go-redis":  "redis.NewClusterClient(&ClusterOptions{Addrs}) defaults: per node a pool of 10×GOMAXPROCS connections, one command each",
	"rueidis":   "rueidis.NewClient(ClientOption{InitAddress: addrs}) defaults (cluster detected): auto-pipelining per node, CLIENT TRACKING OPTIN",
}

type clusterSession interface {
	Get(ctx context.Context, key string) error
	Set(ctx context.Context, key, value string) error
	Close() error
}

type actoredisCluster struct{ c *client.ClusterClient }

func (d actoredisCluster) Get(ctx context.Context, key string) error {
	_, err := d.c.Get(ctx, key).Result()
	return err
}
func (d actoredisCluster) Set(ctx context.Context, key, value string) error {
	return d.c.Set(ctx, key, value, 0).Err()
}
func (d actoredisCluster) Close() error { return d.c.Close() }

type goredisCluster struct{ c *goredis.ClusterClient }

func (d goredisCluster) Get(ctx context.Context, key string) error {
	return d.c.Get(ctx, key).Err()
}
func (d goredisCluster) Set(ctx context.Context, key, value string) error {
	return d.c.Set(ctx, key, value, 0).Err()
}
func (d goredisCluster) Close() error { return d.c.Close() }

type rueidisCluster struct{ c rueidis.Client }

func (d rueidisCluster) Get(ctx context.Context, key string) error {
	return d.c.Do(ctx, d.c.B().Get().Key(key).Build()).Error()
}
func (d rueidisCluster) Set(ctx context.Context, key, value string) error {
	return d.c.Do(ctx, d.c.B().Set().Key(key).Value(value).Build()).Error()
}
func (d rueidisCluster) Close() error { d.c.Close(); return nil }

func newClusterSession(name string, addrs []string) (clusterSession, error) {
	switch name {
	case "actoredis":
		c, err := client.NewCluster(client.ClusterOptions{Addrs: addrs})
		if err != nil {
			return nil, err
		}
		return actoredisCluster{c}, nil
	case "go-redis":
		return goredisCluster{goredis.NewClusterClient(&goredis.ClusterOptions{Addrs: addrs})}, nil
	case "rueidis":
		c, err := rueidis.NewClient(rueidis.ClientOption{InitAddress: addrs})
		if err != nil {
			return nil, err
		}
		return rueidisCluster{c}, nil
	}
	return nil, fmt.Errorf("unknown cluster client %q", name)
}

type clusterSample struct {
	ops    float64
	p50    time.Duration
	p99    time.Duration
	allocs float64
}

// runCluster measures every cluster client at every concurrency.
func runCluster(cfg config) error {
	env := os.Getenv("REDIS_CLUSTER_ADDRS")
	if env == "" {
		return fmt.Errorf("-cluster needs REDIS_CLUSTER_ADDRS (comma-separated host:port of cluster nodes)")
	}
	addrs := splitList(env)
	conc := cfg.concurrency
	if f := flag.Lookup("conc"); f != nil && f.Value.String() == f.DefValue {
		conc = []int{128, 1024}
	}
	ctx := context.Background()
	admin := goredis.NewClusterClient(&goredis.ClusterOptions{Addrs: addrs})
	defer admin.Close()
	keys, value := keyspace(cfg.keys, cfg.valueSize)
	if _, err := admin.Pipelined(ctx, func(p goredis.Pipeliner) error {
		for _, k := range keys {
			p.Set(ctx, k, value, 0)
		}
		return nil
	}); err != nil {
		return fmt.Errorf("preload: %w", err)
	}
	defer func() {
		_, _ = admin.Pipelined(ctx, func(p goredis.Pipeliner) error {
			for _, k := range keys {
				p.Del(ctx, k)
			}
			return nil
		})
	}()
	sessions := map[string]clusterSession{}
	defer func() {
		for _, s := range sessions {
			_ = s.Close()
		}
	}()
	for _, name := range clusterClientNames {
		s, err := newClusterSession(name, addrs)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		sessions[name] = s
		if err := s.Get(ctx, keys[0]); err != nil {
			return fmt.Errorf("%s: GET: %w", name, err)
		}
	}
	fmt.Fprintf(os.Stderr, "bench: cluster of %d seed(s), %d measurements of %v\n", len(addrs),
		2*len(conc)*len(clusterClientNames)*cfg.rounds, cfg.window)
	samples := map[string][]clusterSample{} // op/conc/client
	for range cfg.rounds {
		for _, op := range []string{"GET", "SET"} {
			for _, n := range conc {
				for _, name := range clusterClientNames {
					s := measureCluster(sessions[name], op, n, keys, value, cfg.warmup, cfg.window)
					key := fmt.Sprintf("%s/%d/%s", op, n, name)
					samples[key] = append(samples[key], s)
				}
			}
		}
	}
	fmt.Printf("Cluster: %d seed(s) %s; %s, GOMAXPROCS %d. Median of %d round(s) of %v after %v warm-up; %d keys, %d-byte values; closed loop.\n\n",
		len(addrs), strings.Join(addrs, ","), runtime.Version(), runtime.GOMAXPROCS(0), cfg.rounds, cfg.window, cfg.warmup, cfg.keys, cfg.valueSize)
	for _, name := range clusterClientNames {
		fmt.Printf("- %s: %s\n", name, clusterNotes[name])
	}
	for _, op := range []string{"GET", "SET"} {
		fmt.Printf("\n#### cluster %s\n| goroutines | client | ops/s | vs best peer | p50 | p99 | allocs/op |\n|---:|---|---:|---:|---:|---:|---:|\n", op)
		for _, n := range conc {
			med := map[string]clusterSample{}
			best := 0.0
			for _, name := range clusterClientNames {
				ss := samples[fmt.Sprintf("%s/%d/%s", op, n, name)]
				sort.Slice(ss, func(i, j int) bool { return ss[i].ops < ss[j].ops })
				med[name] = ss[len(ss)/2]
				if name != "actoredis" {
					best = max(best, med[name].ops)
				}
			}
			for _, name := range clusterClientNames {
				m := med[name]
				fmt.Printf("| %d | %s | %s | %.2f | %v | %v | %.1f |\n", n, name, thousands(m.ops), m.ops/best,
					m.p50.Round(time.Microsecond), m.p99.Round(time.Microsecond), m.allocs)
			}
		}
	}
	return nil
}

// measureCluster runs n goroutines of op on random keys for warmup plus
// window and returns the window's throughput, latencies and allocations.
func measureCluster(s clusterSession, op string, n int, keys []string, value string, warmup, window time.Duration) clusterSample {
	var (
		measuring, stop atomic.Bool
		ops             atomic.Int64
		wg              sync.WaitGroup
		mu              sync.Mutex
		all             histogram
	)
	ctx := context.Background()
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var h histogram
			var done int64
			r := rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64()))
			for !stop.Load() {
				k := keys[r.IntN(len(keys))]
				start := time.Now()
				var err error
				if op == "GET" {
					err = s.Get(ctx, k)
				} else {
					err = s.Set(ctx, k, value)
				}
				if err != nil {
					fmt.Fprintln(os.Stderr, "bench: cluster", op, err)
					continue
				}
				if measuring.Load() {
					h.record(time.Since(start))
					done++
				}
			}
			ops.Add(done)
			mu.Lock()
			all.add(&h)
			mu.Unlock()
		}()
	}
	time.Sleep(warmup)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	measuring.Store(true)
	start := time.Now()
	time.Sleep(window)
	measuring.Store(false)
	elapsed := time.Since(start)
	runtime.ReadMemStats(&after)
	stop.Store(true)
	wg.Wait()
	total := ops.Load()
	return clusterSample{
		ops:    float64(total) / elapsed.Seconds(),
		p50:    all.quantile(0.50),
		p99:    all.quantile(0.99),
		allocs: float64(after.Mallocs-before.Mallocs) / float64(max(total, 1)),
	}
}

// thousands formats n with thousands separators.
func thousands(n float64) string {
	s := fmt.Sprintf("%.0f", n)
	var b []byte
	for i := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b = append(b, ',')
		}
		b = append(b, s[i])
	}
	return string(b)
}
