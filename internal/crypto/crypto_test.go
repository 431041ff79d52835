package crypto

import (
	"bytes"
	"crypto/hmac"
	"encoding/base64"
	"encoding/hex"
	"strings"
	"sync"
	"testing"

	"github.com/emmansun/gmsm/sm3"
)

func testKeys(t testing.TB, seed byte) *Keys {
	t.Helper()
	k, err := NewKeys(bytes.Repeat([]byte{seed}, KeySize))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestSealOpen(t *testing.T) {
	k := testKeys(t, 1)
	for _, plain := range []string{"13812345678", "", "张三 13812345678", strings.Repeat("长", 10000)} {
		sealed, err := k.Seal(plain)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(sealed, "sm4gcm:v1:") {
			t.Errorf("Seal(%.20q) = %.40q, want the sm4gcm:v1: prefix", plain, sealed)
		}
		if plain != "" && strings.Contains(sealed, plain) {
			t.Errorf("Seal(%.20q) contains the plaintext", plain)
		}
		got, err := k.Open(sealed)
		if err != nil || got != plain {
			t.Errorf("Open(Seal(%.20q)) = %.20q, %v", plain, got, err)
		}
	}
}

func TestSealIsRandomised(t *testing.T) {
	k := testKeys(t, 1)
	a, _ := k.Seal("13812345678")
	b, _ := k.Seal("13812345678")
	if a == b {
		t.Errorf("sealing the same value twice gave %q both times", a)
	}
}

// TestSealFormat: a value sealed now opens as the format always has
// (nonce, then ciphertext, under the prefix as additional data), and one
// sealed that way opens now, so stored values stay valid both ways.
func TestSealFormat(t *testing.T) {
	k := testKeys(t, 4)
	for _, plain := range []string{"", "13812345678", strings.Repeat("电话", 40)} {
		sealed, err := k.Seal(plain)
		if err != nil {
			t.Fatal(err)
		}
		buf, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(sealed, "sm4gcm:v1:"))
		if err != nil || !strings.HasPrefix(sealed, "sm4gcm:v1:") {
			t.Fatalf("Seal(%q) = %q (%v)", plain, sealed, err)
		}
		got, err := k.aead.Open(nil, buf[:12], buf[12:], []byte("sm4gcm:v1:"))
		if err != nil || string(got) != plain {
			t.Errorf("opening Seal(%q) by hand = %q, %v", plain, got, err)
		}
		nonce := bytes.Repeat([]byte{9}, 12)
		old := "sm4gcm:v1:" + base64.StdEncoding.EncodeToString(k.aead.Seal(nonce, nonce, []byte(plain), []byte("sm4gcm:v1:")))
		if opened, err := k.Open(old); err != nil || opened != plain {
			t.Errorf("Open of a value sealed by hand = %q, %v; want %q", opened, err, plain)
		}
	}
}

func TestOpenTampered(t *testing.T) {
	k := testKeys(t, 1)
	sealed, err := k.Seal("13812345678")
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := base64.StdEncoding.DecodeString(strings.TrimPrefix(sealed, "sm4gcm:v1:"))
	reseal := func(b []byte) string { return "sm4gcm:v1:" + base64.StdEncoding.EncodeToString(b) }

	tampered := map[string]string{
		"empty":          "",
		"no prefix":      strings.TrimPrefix(sealed, "sm4gcm:v1:"),
		"other version":  strings.Replace(sealed, ":v1:", ":v2:", 1),
		"bad base64":     sealed + "!",
		"truncated":      sealed[:len(sealed)-8],
		"too short":      reseal(raw[:20]),
		"only a prefix":  "sm4gcm:v1:",
		"extra byte":     reseal(append(bytes.Clone(raw), 0)),
		"nonce changed":  reseal(flip(raw, 0)),
		"cipher changed": reseal(flip(raw, 12)),
		"tag changed":    reseal(flip(raw, len(raw)-1)),
	}
	for name, s := range tampered {
		if got, err := k.Open(s); err == nil {
			t.Errorf("%s: Open(%q) = %q, want error", name, s, got)
		}
	}
}

func flip(b []byte, i int) []byte {
	c := bytes.Clone(b)
	c[i] ^= 0x01
	return c
}

func TestOpenWrongKey(t *testing.T) {
	sealed, err := testKeys(t, 1).Seal("13812345678")
	if err != nil {
		t.Fatal(err)
	}
	if got, err := testKeys(t, 2).Open(sealed); err == nil {
		t.Errorf("Open with another key = %q, want error", got)
	}
}

func TestBlindIndex(t *testing.T) {
	k1, k2 := testKeys(t, 1), testKeys(t, 2)
	a := k1.BlindIndex("13812345678")
	if a != k1.BlindIndex("13812345678") {
		t.Error("BlindIndex is not deterministic")
	}
	if a != testKeys(t, 1).BlindIndex("13812345678") {
		t.Error("BlindIndex differs between Keys from the same master key")
	}
	if a == k1.BlindIndex("13812345679") {
		t.Error("BlindIndex is equal for different values")
	}
	if a == k2.BlindIndex("13812345678") {
		t.Error("BlindIndex does not depend on the key")
	}
	if b, err := hex.DecodeString(a); err != nil || len(b) != 32 {
		t.Errorf("BlindIndex = %q, want 64 hex digits", a)
	}
	// The index key is derived, not the master key itself.
	if bytes.Equal(k1.index, bytes.Repeat([]byte{1}, KeySize)) {
		t.Error("index key is the master key")
	}
}

// TestBlindIndexReusedStates: the pooled, reset HMAC states give what a
// fresh HMAC-SM3 gives, for values of every length around SM3's block
// and from goroutines at once, so the indexes stored before stay valid.
func TestBlindIndexReusedStates(t *testing.T) {
	k := testKeys(t, 3)
	fresh := func(v string) string {
		mac := hmac.New(sm3.New, k.index)
		mac.Write([]byte(v))
		return hex.EncodeToString(mac.Sum(nil))
	}
	var values []string
	for n := range 140 {
		values = append(values, strings.Repeat("7", n))
	}
	values = append(values, "13812345678", "+86 138-1234-5678", "张三的电话", "\x00")
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for range 3 {
				for i := range values {
					v := values[(i+g)%len(values)]
					if got, want := k.BlindIndex(v), fresh(v); got != want {
						t.Errorf("BlindIndex(%q) = %s, want %s", v, got, want)
						return
					}
				}
			}
		})
	}
	wg.Wait()
}

func TestNewKeys(t *testing.T) {
	for _, n := range []int{0, 16, 31, 33, 64} {
		if _, err := NewKeys(make([]byte, n)); err == nil {
			t.Errorf("NewKeys accepted a %d-byte key", n)
		}
	}
}

func TestParseKey(t *testing.T) {
	key := bytes.Repeat([]byte{0xab, 0x01}, KeySize/2)
	valid := []string{
		hex.EncodeToString(key),
		strings.ToUpper(hex.EncodeToString(key)),
		"  " + hex.EncodeToString(key) + "\n",
		base64.StdEncoding.EncodeToString(key),
		base64.RawStdEncoding.EncodeToString(key),
		base64.URLEncoding.EncodeToString(key),
		base64.RawURLEncoding.EncodeToString(key),
	}
	for _, s := range valid {
		got, err := ParseKey(s)
		if err != nil || !bytes.Equal(got, key) {
			t.Errorf("ParseKey(%q) = %x, %v; want %x", s, got, err, key)
		}
	}
	invalid := []string{
		"",
		hex.EncodeToString(key[:31]),
		hex.EncodeToString(key) + "00",
		strings.Repeat("zz", KeySize),
		base64.StdEncoding.EncodeToString(key[:16]),
		base64.StdEncoding.EncodeToString(append(bytes.Clone(key), 1)),
	}
	for _, s := range invalid {
		got, err := ParseKey(s)
		if err == nil {
			t.Errorf("ParseKey(%q) = %x, want error", s, got)
			continue
		}
		if s != "" && strings.Contains(err.Error(), s) {
			t.Errorf("ParseKey error %q repeats the key", err)
		}
	}
}

func TestGenerateKey(t *testing.T) {
	a, b := GenerateKey(), GenerateKey()
	if a == b {
		t.Error("GenerateKey returned the same key twice")
	}
	key, err := ParseKey(a)
	if err != nil || len(key) != KeySize || hex.EncodeToString(key) != a {
		t.Errorf("ParseKey(GenerateKey()) = %x, %v", key, err)
	}
	if _, err := NewKeys(key); err != nil {
		t.Error(err)
	}
}

func BenchmarkSeal(b *testing.B) {
	k := testKeys(b, 1)
	for b.Loop() {
		if _, err := k.Seal("13812345678"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkBlindIndex(b *testing.B) {
	k := testKeys(b, 1)
	for b.Loop() {
		k.BlindIndex("13812345678")
	}
}
