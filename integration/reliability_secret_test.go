//go:build integration

package integration

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	mrand "math/rand/v2"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/actoredis/actoredis/client"
	"github.com/actoredis/actoredis/integration/hostile"
	"github.com/actoredis/actoredis/integration/redistest"
	"github.com/actoredis/actoredis/resp/resptest"
)

// canaryOutput collects everything the client says: every log line (the
// client's Logger, a slog handler at Debug), every error's text, and the
// %v, %+v and %#v renderings of the values a program might print. count
// tells how often the canary appears in all of it.
type canaryOutput struct {
	mu    sync.Mutex
	logs  bytes.Buffer
	texts []string
}

func (o *canaryOutput) Write(p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.logs.Write(p)
}

func (o *canaryOutput) logger() *slog.Logger {
	return slog.New(slog.NewTextHandler(o, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// print renders each value as a program might: Error() for errors, and
// %v, %+v, %#v, %s and %q for everything.
func (o *canaryOutput) print(values ...any) {
	o.mu.Lock()
	defer o.mu.Unlock()
	for _, v := range values {
		if v == nil {
			continue
		}
		if err, ok := v.(error); ok {
			o.texts = append(o.texts, err.Error())
			for e := errors.Unwrap(err); e != nil; e = errors.Unwrap(e) {
				o.texts = append(o.texts, e.Error())
			}
		}
		o.texts = append(o.texts, fmt.Sprintf("%v|%+v|%#v|%s|%q", v, v, v, v, v))
	}
}

// count returns how many times canary appears, and where first.
func (o *canaryOutput) count(canary string) (int, string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	all := o.logs.String() + "\n" + strings.Join(o.texts, "\n")
	n := strings.Count(all, canary)
	where := ""
	if i := strings.Index(all, canary); i >= 0 {
		where = all[max(0, i-200):min(len(all), i+len(canary)+50)]
	}
	return n, where
}

func (o *canaryOutput) size() (logBytes, texts int) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.logs.Len(), len(o.texts)
}

// R17, the secret canary: a server with an ACL user whose password is
// S3CRET-canary-<random>; the client (Logger at Debug into a buffer) runs
// the mixed workload, cancellations, a kill -9 and restart (supervisor
// restarts, failed handshakes while the server is down), cuts and resets
// under load (R4/R5), the hostile cases of R14 behind the same password,
// wrong passwords,
// AUTH commands in flight while the client closes (dead letters), URL
// errors, and every value is printed with %v/%+v/%#v. The canary must
// appear 0 times in all of it.
func TestR17SecretCanary(t *testing.T) {
	canary := "S3CRET-canary-" + strconv.FormatUint(mrand.Uint64(), 36)
	wrong := canary + "-wrong"
	srv := redistest.Start(t, redistest.WithArgs("--user", "canary", "on", ">"+canary, "~*", "&*", "+@all"))
	s := newScenario(t, "R17", srv)
	var out canaryOutput
	ctx := context.Background()
	opts := client.Options{Addr: srv.Addr(), Username: "canary", Password: canary, Logger: out.logger(), PoolSize: 4}
	c := s.client(opts)
	out.print(opts, &opts, c, c.Options())

	// The mixed workload, with short deadlines on some of it.
	w := newWorkload(t, c, "r17:", 200)
	w.tally.onErr = func(err error) { out.print(err) }
	w.tally.runWorkers(t, 8, func(g int) {
		k := w.worker(g)
		for i := range 300 {
			limit := time.Minute
			if i%3 == 0 {
				limit = time.Duration(k.rng.IntN(2000)) * time.Microsecond
			}
			ctx, cancel := context.WithTimeout(ctx, limit)
			k.mixed(ctx)
			cancel()
		}
	})
	out.print(w.tally.examples)

	// Kill -9 and restart: connections fail, the supervisor restarts them,
	// handshakes fail while the server is down.
	srv.Kill9()
	for range 5 {
		down, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
		_, err := c.Get(down, "r17:k:1").Result()
		cancel()
		out.print(err)
	}
	srv.Restart()
	require.True(t, waitUntil(10*time.Second, func() bool { return c.Ping(ctx).Err() == nil }))

	// Cuts and resets through a proxy under load: lost connections,
	// failed and retried commands, supervisor restarts.
	p := s.proxy(srv.Addr())
	r := newFaultRun(p)
	pw := &workload{c: s.client(client.Options{Addr: p.Addr(), Username: "canary", Password: canary, Logger: out.logger(), PoolSize: 2,
		OnEvent: func(e client.Event) { out.print(e); r.event(e) }}), prefix: "r17p:"}
	pw.tally.onErr = func(err error) { out.print(err) }
	r.start(t, pw, 4, faultOp)
	for _, fault := range []func(){p.Cut, p.Reset, p.Cut, p.Reset} {
		r.begin()
		fault()
		r.detected(2 * time.Second)
		r.reachable()
		r.end(5*time.Second, &faultKind{name: "r17"})
	}
	r.Stop()

	// The hostile server behind the same password: protocol errors and
	// reconnections, each with a handshake carrying the password.
	hs := hostile.StartWith(t, resptest.Options{Username: "canary", Password: canary})
	s.closeAtEnd(func() { _ = hs.Close() })
	hc := s.client(client.Options{Addr: hs.Addr(), Username: "canary", Password: canary, Logger: out.logger(), PoolSize: 1})
	hostileReplies := 0
	for _, cs := range hostile.Cases() {
		if cs.Size() > 1<<20 {
			continue
		}
		hs.Use(cs)
		v, err := hc.Do(ctx, "HOSTILE", cs.Name).Result()
		out.print(err)
		if cs.Size() <= 4<<10 {
			out.print(v)
		}
		hostileReplies++
	}
	require.NoError(t, hc.Ping(ctx).Err(), "the hostile server answers PING after the cases")

	// Wrong passwords, through Options and through URLs.
	bad := s.client(client.Options{Addr: srv.Addr(), Username: "canary", Password: wrong, Logger: out.logger(), PoolTimeout: 300 * time.Millisecond})
	_, err := bad.Ping(ctx).Result()
	require.Error(t, err)
	var pe *client.PoolTimeoutError
	if errors.As(err, &pe) {
		out.print(pe.LastDialErr)
	}
	out.print(err, bad)
	for _, raw := range []string{
		"redis://canary:" + canary + "@" + srv.Addr() + "/0",
		"redis://canary:" + canary + "@" + srv.Addr() + "/notadb",
		"redis://canary:" + canary + "@" + srv.Addr() + "/0?pool_size=many",
		"redis://canary:" + canary + "@" + srv.Addr() + "/0?unknown=1",
		"redis://canary:" + canary + "@[::1",
		"ftp://canary:" + canary + "@" + srv.Addr(),
		"redis://" + canary + "@" + srv.Addr() + "/0?protocol=9",
		"rediss://canary:" + canary + "@" + srv.Addr() + "/0?read_timeout=soon",
	} {
		o, err := client.ParseURL(raw)
		out.print(o, err)
		if err == nil {
			uc, err := client.NewFromURL(raw)
			require.NoError(t, err)
			out.print(uc, uc.Options(), uc.Ping(ctx).Err())
			require.NoError(t, uc.Close())
		}
	}

	// AUTH and CONFIG commands carrying the canary, some answered, some in
	// flight while a client closes (dead letters, failed futures).
	cn, err := c.Conn(ctx)
	require.NoError(t, err)
	f := cn.Do(ctx, "AUTH", "canary", canary)
	out.print(f.Err(), f, cn.Do(ctx, "AUTH", "canary", wrong).Err())
	require.NoError(t, cn.Close())
	closing := s.client(client.Options{Addr: srv.Addr(), Username: "canary", Password: canary, Logger: out.logger()})
	var futures []*client.Future[string]
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for range 200 {
			futures = append(futures, closing.Echo(ctx, canary))
		}
	}()
	require.NoError(t, closing.Close())
	wg.Wait()
	for _, f := range futures {
		out.print(f.Err(), f)
	}
	out.print(closing.Echo(ctx, canary).Err())

	n, where := out.count(canary)
	logBytes, texts := out.size()
	w.tally.figures(s.fig)
	s.fig["canary"], s.fig["log_bytes"], s.fig["texts_checked"] = n, logBytes, texts
	s.fig["proxy_faults"], s.fig["hostile_replies"] = 4, hostileReplies
	w.tally.assertGates(t)
	assert.Zero(t, n, "the canary appears in the client's output (gate 0), first here:\n%s", where)
	assert.Positive(t, logBytes, "the Debug logger saw the supervisor at work")
}

// R17 over TLS: a certificate that does not match the name asked for is
// refused, the name is sent as SNI (by default the host of Addr),
// verification is never skipped unless InsecureSkipVerify is set
// explicitly, mutual TLS works with --tls-auth-clients yes, and the canary
// password used over TLS appears nowhere.
func TestR17TLS(t *testing.T) {
	dir := t.TempDir()
	roots := writeTLSFiles(t, dir) // the server's CA and certificate (tls_test.go)
	clientCert := writeClientCA(t, filepath.Join(dir, "ca.crt"), filepath.Join(dir, "cas.crt"))
	canary := "S3CRET-canary-" + strconv.FormatUint(mrand.Uint64(), 36)
	port := freeTCPPort(t)
	srv := redistest.Start(t, redistest.WithArgs("--tls-port", strconv.Itoa(port),
		"--tls-cert-file", filepath.Join(dir, "server.crt"), "--tls-key-file", filepath.Join(dir, "server.key"),
		"--tls-ca-cert-file", filepath.Join(dir, "cas.crt"), "--tls-auth-clients", "yes",
		"--user", "canary", "on", ">"+canary, "~*", "&*", "+@all"))
	s := newScenario(t, "R17/tls", srv)
	var out canaryOutput
	ctx := context.Background()
	tlsAddr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	base := client.Options{Addr: tlsAddr, Username: "canary", Password: canary, Logger: out.logger(), PoolTimeout: 500 * time.Millisecond}
	withTLS := func(cfg *tls.Config) client.Options { o := base; o.TLSConfig = cfg; return o }
	results := map[string]bool{}

	// mTLS: with a client certificate signed by a CA the server trusts.
	good := s.client(withTLS(&tls.Config{RootCAs: roots, Certificates: []tls.Certificate{clientCert}, MinVersion: tls.VersionTLS12}))
	w := newWorkload(t, good, "r17tls:", 100)
	w.tally.runWorkers(t, 4, func(g int) {
		k := w.worker(g)
		for range 200 {
			k.mixed(ctx)
		}
	})
	results["mtls_works"] = w.tally.errors() == 0 && w.tally.get(okCorrect) > 0

	// Without a client certificate the server refuses the handshake.
	noCert := s.client(withTLS(&tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12}))
	err := noCert.Ping(ctx).Err()
	out.print(err)
	results["no_client_cert_refused"] = errors.Is(err, client.ErrPoolTimeout)

	// A certificate for another name is refused.
	wrongName := s.client(withTLS(&tls.Config{RootCAs: roots, ServerName: "wrong.example", Certificates: []tls.Certificate{clientCert}, MinVersion: tls.VersionTLS12}))
	err = wrongName.Ping(ctx).Err()
	out.print(err)
	var pe *client.PoolTimeoutError
	var hostErr x509.HostnameError
	results["wrong_san_refused"] = errors.As(err, &pe) && errors.As(pe.LastDialErr, &hostErr)

	// No roots given: verified against the system's, which do not know
	// our CA; only an explicit InsecureSkipVerify skips verification.
	unknown := s.client(withTLS(&tls.Config{Certificates: []tls.Certificate{clientCert}, MinVersion: tls.VersionTLS12}))
	err = unknown.Ping(ctx).Err()
	out.print(err)
	var authErr x509.UnknownAuthorityError
	results["verified_by_default"] = errors.As(err, &pe) && errors.As(pe.LastDialErr, &authErr)
	insecure := s.client(withTLS(&tls.Config{InsecureSkipVerify: true, Certificates: []tls.Certificate{clientCert}, MinVersion: tls.VersionTLS12})) //nolint:gosec // the explicit opt-out under test
	results["insecure_only_explicit"] = insecure.Ping(ctx).Err() == nil
	u, err := client.ParseURL("rediss://canary:" + canary + "@" + tlsAddr + "/0")
	require.NoError(t, err)
	results["rediss_verifies"] = u.TLSConfig != nil && !u.TLSConfig.InsecureSkipVerify
	out.print(u, err)

	// SNI: a TLS front that records the name the client sends, relaying
	// to the server's plain port; Addr names redis.test (the certificate's
	// DNS name), dialed on loopback.
	front := startSNIFront(t, dir, srv.Addr())
	s.closeAtEnd(front.close)
	sniOpts := base
	sniOpts.Addr = net.JoinHostPort("redis.test", front.port)
	sniOpts.Dialer = func(ctx context.Context, network, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, network, front.addr)
	}
	sniOpts.TLSConfig = &tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12}
	sni := s.client(sniOpts)
	require.NoError(t, sni.Ping(ctx).Err())
	results["sni_sent"] = front.names() == "redis.test"

	out.print(base, withTLS(&tls.Config{}), good, noCert)
	n, where := out.count(canary)
	w.tally.figures(s.fig)
	s.fig["canary"] = n
	for k, v := range results {
		s.fig[k] = v
		assert.True(t, v, k)
	}
	w.tally.assertGates(t)
	assert.Zero(t, n, "the canary appears in the client's output (gate 0), first here:\n%s", where)
}

// writeClientCA makes a second CA and a client certificate it signs,
// writes serverCA and the new CA together into bundle (the server trusts
// both), and returns the client certificate.
func writeClientCA(t *testing.T, serverCA, bundle string) tls.Certificate {
	t.Helper()
	ca := newTestCA(t, 10, "actoredis client CA")
	der, keyDER := ca.issue(t, &x509.Certificate{
		SerialNumber: big.NewInt(11), Subject: pkix.Name{CommonName: "actoredis test client"},
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}, KeyUsage: x509.KeyUsageDigitalSignature,
	})
	serverPEM, err := os.ReadFile(serverCA)
	require.NoError(t, err)
	caPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ca.der})
	require.NoError(t, os.WriteFile(bundle, append(serverPEM, caPEM...), 0o600))
	cert, err := tls.X509KeyPair(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}))
	require.NoError(t, err)
	return cert
}

// sniFront is a TLS server (the server certificate of writeTLSFiles) that
// records the SNI of each client and relays the decrypted stream to a
// plain Redis address.
type sniFront struct {
	ln   net.Listener
	addr string
	port string
	wg   sync.WaitGroup
	mu   sync.Mutex
	sni  []string
	open []net.Conn
}

func startSNIFront(t *testing.T, dir, target string) *sniFront {
	t.Helper()
	cert, err := tls.LoadX509KeyPair(filepath.Join(dir, "server.crt"), filepath.Join(dir, "server.key"))
	require.NoError(t, err)
	f := &sniFront{}
	cfg := &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12,
		GetConfigForClient: func(hello *tls.ClientHelloInfo) (*tls.Config, error) {
			f.mu.Lock()
			f.sni = append(f.sni, hello.ServerName)
			f.mu.Unlock()
			return nil, nil
		}}
	f.ln, err = tls.Listen("tcp", "127.0.0.1:0", cfg)
	require.NoError(t, err)
	f.addr = f.ln.Addr().String()
	_, f.port, _ = net.SplitHostPort(f.addr)
	f.wg.Add(1)
	go func() {
		defer f.wg.Done()
		for {
			conn, err := f.ln.Accept()
			if err != nil {
				return
			}
			backend, err := net.Dial("tcp", target)
			if err != nil {
				_ = conn.Close()
				continue
			}
			f.mu.Lock()
			f.open = append(f.open, conn, backend)
			f.mu.Unlock()
			f.wg.Add(2)
			go func() { defer f.wg.Done(); _, _ = io.Copy(backend, conn); _ = backend.Close() }()
			go func() { defer f.wg.Done(); _, _ = io.Copy(conn, backend); _ = conn.Close() }()
		}
	}()
	return f
}

// names returns the distinct SNI names seen, joined by commas.
func (f *sniFront) names() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	seen := map[string]bool{}
	var out []string
	for _, n := range f.sni {
		if !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	return strings.Join(out, ",")
}

func (f *sniFront) close() {
	_ = f.ln.Close()
	f.mu.Lock()
	for _, c := range f.open {
		_ = c.Close()
	}
	f.mu.Unlock()
	f.wg.Wait()
}
