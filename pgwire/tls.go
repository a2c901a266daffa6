package pgwire

import (
	"crypto/sha256"
	"crypto/sha512"
	"crypto/tls"
	"crypto/x509"
	"hash"

	"github.com/prkdb/prkdb-sql/sql/pgerror"
)

// TLS (PostgreSQL's "SSL"): with Config.TLS set, an SSLRequest is answered
// 'S' and the TLS handshake follows on the same socket; every later byte
// (the StartupMessage included) is encrypted. Without it the answer is 'N'
// and the client goes on in plain text or gives up (sslmode=require).
// A second SSLRequest, or a GSSENCRequest after TLS, is a protocol error,
// as in PostgreSQL. Config.TLSRequired refuses plain connections after
// their StartupMessage (see authenticate).

// startTLS answers an SSLRequest with 'S' and runs the handshake under the
// startup deadline. It returns false when the connection must close.
func (c *conn) startTLS() bool {
	// Bytes already here were sent before our answer: they cannot be part
	// of a handshake the client had not yet been told to start, and taking
	// them as encrypted would let a man in the middle inject plain text
	// (CVE-2021-23214). PostgreSQL refuses them too.
	if c.rd.br.Buffered() > 0 {
		c.w.writeError(fatal(pgerror.ProtocolViolation, "received unencrypted data after SSL request").
			WithDetail("This could be either a client-software bug or evidence of an attempted man-in-the-middle attack."))
		return false
	}
	c.w.buf = append(c.w.buf, 'S')
	c.w.complete = len(c.w.buf)
	if err := c.w.flush(); err != nil {
		return false
	}
	tc := tls.Server(c.nc, c.s.cfg.TLS)
	if err := tc.Handshake(); err != nil {
		// PostgreSQL logs "could not accept SSL connection" and closes.
		c.lg.Debug("pgwire: TLS handshake failed", "err", err)
		return false
	}
	// Shutdown closes c.nc under s.mu, wakeReader sets its deadline under
	// c.mu: swap it under both.
	c.s.mu.Lock()
	c.mu.Lock()
	c.nc = tc
	c.mu.Unlock()
	c.s.mu.Unlock()
	c.w.nc = tc
	c.rd = newMsgReader(flushingReader{nc: tc, w: &c.w}, c.s.cfg.MaxMessageSize)
	c.lg = c.lg.With("tls", tls.VersionName(tc.ConnectionState().Version))
	return true
}

// isTLS reports whether the connection negotiated TLS.
func (c *conn) isTLS() bool {
	_, ok := c.nc.(*tls.Conn)
	return ok
}

// channelBindingData is the tls-server-end-point binding of this
// connection, or nil when it is not TLS or the server cannot bind.
func (c *conn) channelBindingData() []byte {
	if !c.isTLS() {
		return nil
	}
	return c.s.cbind
}

// tlsServerEndPoint computes the tls-server-end-point channel binding
// data (RFC 5929 section 4.1) of cfg's certificate: its hash with the
// hash function of its signature algorithm, SHA-256 for MD5 and SHA-1.
// It is nil, and SCRAM-SHA-256-PLUS is not offered, when the certificate
// presented cannot be known in advance (several certificates,
// GetCertificate, GetConfigForClient) or its algorithm has no hash
// (Ed25519), as PostgreSQL does not offer it then either.
func tlsServerEndPoint(cfg *tls.Config) []byte {
	if cfg == nil || len(cfg.Certificates) != 1 || cfg.GetCertificate != nil || cfg.GetConfigForClient != nil {
		return nil
	}
	cert := cfg.Certificates[0]
	if len(cert.Certificate) == 0 {
		return nil
	}
	leaf := cert.Leaf
	if leaf == nil {
		var err error
		if leaf, err = x509.ParseCertificate(cert.Certificate[0]); err != nil {
			return nil
		}
	}
	var h hash.Hash
	switch leaf.SignatureAlgorithm {
	case x509.MD5WithRSA, x509.SHA1WithRSA, x509.ECDSAWithSHA1, x509.DSAWithSHA1,
		x509.SHA256WithRSA, x509.SHA256WithRSAPSS, x509.ECDSAWithSHA256, x509.DSAWithSHA256:
		h = sha256.New()
	case x509.SHA384WithRSA, x509.SHA384WithRSAPSS, x509.ECDSAWithSHA384:
		h = sha512.New384()
	case x509.SHA512WithRSA, x509.SHA512WithRSAPSS, x509.ECDSAWithSHA512:
		h = sha512.New()
	default:
		return nil
	}
	h.Write(leaf.Raw)
	return h.Sum(nil)
}
