//go:build integration

package integration

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/actoredis/actoredis/client"
	"github.com/actoredis/actoredis/integration/redistest"
)

// testCA is a certificate authority made for one test.
type testCA struct {
	cert *x509.Certificate
	der  []byte
	key  *ecdsa.PrivateKey
}

// newTestCA makes a self-signed CA valid for an hour around now.
func newTestCA(t *testing.T, serial int64, name string) testCA {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(serial), Subject: pkix.Name{CommonName: name},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	require.NoError(t, err)
	cert, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	return testCA{cert: cert, der: der, key: key}
}

// issue signs a certificate of tmpl (its validity set to an hour around
// now) for a new key; it returns the certificate and the key, DER encoded.
func (ca testCA) issue(t *testing.T, tmpl *x509.Certificate) (der, keyDER []byte) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl.NotBefore, tmpl.NotAfter = time.Now().Add(-time.Hour), time.Now().Add(time.Hour)
	der, err = x509.CreateCertificate(rand.Reader, tmpl, ca.cert, &key.PublicKey, ca.key)
	require.NoError(t, err)
	keyDER, err = x509.MarshalECPrivateKey(key)
	require.NoError(t, err)
	return der, keyDER
}

// writeTLSFiles makes a CA and a server certificate for 127.0.0.1 and
// writes them (PEM) into dir; it returns the CA pool.
func writeTLSFiles(t *testing.T, dir string) *x509.CertPool {
	t.Helper()
	ca := newTestCA(t, 1, "actoredis test CA")
	srvDER, keyDER := ca.issue(t, &x509.Certificate{
		SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "127.0.0.1"},
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, DNSNames: []string{"redis.test"},
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		KeyUsage:    x509.KeyUsageDigitalSignature,
	})
	write := func(name, typ string, der []byte) {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}), 0o600))
	}
	write("ca.crt", "CERTIFICATE", ca.der)
	write("server.crt", "CERTIFICATE", srvDER)
	write("server.key", "EC PRIVATE KEY", keyDER)
	pool := x509.NewCertPool()
	pool.AddCert(ca.cert)
	return pool
}

func freeTCPPort(t *testing.T) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

func TestTLS(t *testing.T) {
	dir := t.TempDir()
	pool := writeTLSFiles(t, dir)
	port := freeTCPPort(t)
	redistest.Start(t, redistest.WithArgs("--tls-port", strconv.Itoa(port),
		"--tls-cert-file", filepath.Join(dir, "server.crt"), "--tls-key-file", filepath.Join(dir, "server.key"),
		"--tls-ca-cert-file", filepath.Join(dir, "ca.crt"), "--tls-auth-clients", "no"))
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	ctx := context.Background()
	for _, proto := range protocols {
		c := openClient(t, client.Options{Addr: addr, Protocol: proto, TLSConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}})
		require.NoError(t, c.Set(ctx, "tls:k", "v", 0).Err())
		require.Equal(t, "v", c.Get(ctx, "tls:k").Val())
	}
	// A certificate that does not match the name asked for is refused.
	bad := openClient(t, client.Options{Addr: addr, PoolTimeout: 500 * time.Millisecond,
		TLSConfig: &tls.Config{RootCAs: pool, ServerName: "wrong.example", MinVersion: tls.VersionTLS12}})
	err := bad.Ping(ctx).Err()
	require.ErrorIs(t, err, client.ErrPoolTimeout)
	var pe *client.PoolTimeoutError
	require.ErrorAs(t, err, &pe)
	var certErr *tls.CertificateVerificationError
	assert.ErrorAs(t, pe.LastDialErr, &certErr)
	// rediss:// sets TLS (with the system roots, which do not know our CA).
	o, err := client.ParseURL("rediss://" + addr + "/1")
	require.NoError(t, err)
	require.NotNil(t, o.TLSConfig)
	assert.Equal(t, "127.0.0.1", o.TLSConfig.ServerName)
	assert.Equal(t, 1, o.DB)
}
