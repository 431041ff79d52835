package auth

import (
	"bytes"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"image/png"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

// The second factor is TOTP (RFC 6238) as every authenticator app reads
// it: SHA-1, six digits, 30-second steps. A code of the step before or
// after the current one is accepted for clock drift, and each step once.
const (
	totpPeriod = 30
	totpSkew   = 1
)

var totpOpts = totp.ValidateOpts{Period: totpPeriod, Skew: 0, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}

// Enrolment is what the enrolment page shows: the secret in base32 for
// typing, the otpauth URL and a QR code of it (PNG, as a data: URL).
type Enrolment struct {
	Secret string
	URL    string
	QR     string
}

// newEnrolment makes a fresh secret for account at issuer.
func newEnrolment(issuer, account string) (*Enrolment, error) {
	key, err := totp.Generate(totp.GenerateOpts{Issuer: issuer, AccountName: account, Period: totpPeriod, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		return nil, fmt.Errorf("making TOTP secret: %w", err)
	}
	return enrolmentOf(key)
}

// enrolmentOf renders the page's view of key.
func enrolmentOf(key *otp.Key) (*Enrolment, error) {
	img, err := key.Image(220, 220)
	if err != nil {
		return nil, fmt.Errorf("drawing QR code: %w", err)
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, fmt.Errorf("encoding QR code: %w", err)
	}
	return &Enrolment{Secret: key.Secret(), URL: key.URL(), QR: "data:image/png;base64," + base64.StdEncoding.EncodeToString(buf.Bytes())}, nil
}

// Step returns the TOTP time step of t.
func Step(t time.Time) int64 { return t.Unix() / totpPeriod }

// Code returns the code of secret for time step step; tests and the
// enrolment check use it.
func Code(secret string, step int64) (string, error) {
	return totp.GenerateCodeCustom(secret, time.Unix(step*totpPeriod, 0).UTC(), totpOpts)
}

// matchCode returns the time step, within the skew around now, whose code
// is code; ok is false if none is.
func matchCode(secret, code string, now time.Time) (step int64, ok bool) {
	code = strings.TrimSpace(code)
	if len(code) != 6 {
		return 0, false
	}
	cur := Step(now)
	for s := cur - totpSkew; s <= cur+totpSkew; s++ {
		want, err := Code(secret, s)
		if err == nil && subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			return s, true
		}
	}
	return 0, false
}

// Recovery codes are ten codes of ten characters from an alphabet without
// look-alikes (50 bits each), shown once as xxxxx-xxxxx; the store keeps a
// keyed hash of each (Service.recoveryHash).
const recoveryAlphabet = "abcdefghjkmnpqrstuvwxyz23456789"

// RecoveryCodeCount is how many recovery codes an enrolment gives.
const RecoveryCodeCount = 10

func newRecoveryCodes() []string {
	var codes []string
	for range RecoveryCodeCount {
		b := make([]byte, 10)
		_, _ = rand.Read(b)
		for i := range b {
			b[i] = recoveryAlphabet[int(b[i])%len(recoveryAlphabet)]
		}
		codes = append(codes, string(b[:5])+"-"+string(b[5:]))
	}
	return codes
}

// normalRecoveryCode is what a user typed without case, spaces or dash.
func normalRecoveryCode(c string) string {
	return strings.ToLower(strings.NewReplacer("-", "", " ", "", "－", "").Replace(strings.TrimSpace(c)))
}

// isRecoveryCode reports whether what a user typed has the shape of a
// recovery code rather than a TOTP code.
func isRecoveryCode(c string) bool { return len(normalRecoveryCode(c)) == 10 }
