package audit

import (
	"testing"
	"time"
)

var testKey = []byte("zhilian-audit-test-key-32-bytes!")

func chain(t *testing.T, alg string, n int) []*Record {
	t.Helper()
	var out []*Record
	prevSeq, prevHash := int64(0), ""
	for i := 0; i < n; i++ {
		r := &Record{At: time.Date(2026, 11, 1, 8, 0, i, 123456789, time.UTC), Actor: "张伟", Action: "login", Success: true, Alg: Keyed(alg)}
		if err := Seal(r, prevSeq, prevHash, testKey); err != nil {
			t.Fatal(err)
		}
		prevSeq, prevHash = r.Seq, r.Hash
		out = append(out, r)
	}
	return out
}

func TestVerifier(t *testing.T) {
	for _, alg := range []string{SHA256, SM3} {
		t.Run(alg, func(t *testing.T) {
			tests := []struct {
				name    string
				tamper  func([]*Record) []*Record
				wantBad int64 // 0: intact
			}{
				{"intact", func(rs []*Record) []*Record { return rs }, 0},
				{"detail changed", func(rs []*Record) []*Record { rs[2].Detail = "x"; return rs }, 3},
				{"success flipped", func(rs []*Record) []*Record { rs[0].Success = false; return rs }, 1},
				{"time moved", func(rs []*Record) []*Record { rs[3].At = rs[3].At.Add(time.Second); return rs }, 4},
				{"row deleted", func(rs []*Record) []*Record { return append(rs[:1], rs[2:]...) }, 3},
				{"row rehashed", func(rs []*Record) []*Record {
					rs[1].Actor = "李四"
					rs[1].Hash, _ = ComputeHash(rs[1], testKey)
					return rs
				}, 3},
				// Whoever lacks the key rewrites a record and recomputes
				// every hash after it with another key, or unkeyed: the
				// verifier with the real key finds the first.
				{"chain rewritten without the key", func(rs []*Record) []*Record {
					return rechain(t, rs, 1, []byte("another-key"), Keyed(alg))
				}, 2},
				{"chain rewritten unkeyed", func(rs []*Record) []*Record {
					return rechain(t, rs, 1, nil, alg)
				}, 2},
				{"tail deleted", func(rs []*Record) []*Record { return rs[:4] }, 5},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					rs := chain(t, alg, 5)
					head := rs[4]
					headSeq, headHash := head.Seq, head.Hash
					v := Verifier{Key: testKey}
					rs = tt.tamper(rs)
					if len(rs) == 5 {
						headSeq, headHash = rs[4].Seq, rs[4].Hash // the tamperer rewrote the head too
					}
					if tt.wantBad == 5 {
						headSeq, headHash = head.Seq, head.Hash
					}
					for _, r := range rs {
						if !v.Add(r) {
							break
						}
					}
					v.Finish(headSeq, headHash, HeadMAC(testKey, headSeq, headHash))
					switch {
					case tt.wantBad == 0 && !v.OK():
						t.Fatalf("intact chain reported bad at %d: %s", v.Bad.Seq, v.Reason)
					case tt.wantBad != 0 && v.OK():
						t.Fatal("tampering not found")
					case tt.wantBad != 0 && v.Bad.Seq != tt.wantBad:
						t.Fatalf("first bad record = %d (%s), want %d", v.Bad.Seq, v.Reason, tt.wantBad)
					}
				})
			}
		})
	}
}

// rechain rewrites records from index from on: the one at from changed,
// every hash recomputed under key with alg.
func rechain(t *testing.T, rs []*Record, from int, key []byte, alg string) []*Record {
	t.Helper()
	rs[from].Detail = "改写"
	for i := from; i < len(rs); i++ {
		rs[i].Alg = alg
		if err := Seal(rs[i], rs[i-1].Seq, rs[i-1].Hash, key); err != nil {
			t.Fatal(err)
		}
	}
	return rs
}

func TestUnkeyedChain(t *testing.T) {
	// A chain written before keys verifies only as such.
	var rs []*Record
	prevSeq, prevHash := int64(0), ""
	for i := range 3 {
		r := &Record{At: time.Date(2026, 11, 1, 8, 0, i, 0, time.UTC), Actor: "张伟", Action: "login", Success: true, Alg: SHA256}
		if err := Seal(r, prevSeq, prevHash, nil); err != nil {
			t.Fatal(err)
		}
		prevSeq, prevHash = r.Seq, r.Hash
		rs = append(rs, r)
	}
	old := Verifier{Unkeyed: true}
	keyed := Verifier{Key: testKey}
	for _, r := range rs {
		old.Add(r)
		keyed.Add(r)
	}
	if !old.Finish(3, prevHash, "") || keyed.OK() {
		t.Fatalf("unkeyed chain: as unkeyed %v (%s), as keyed %v", old.OK(), old.Reason, keyed.OK())
	}
	if _, err := ComputeHash(&Record{Alg: Keyed(SHA256)}, nil); err == nil {
		t.Fatal("a keyed hash without a key")
	}
}

// Records deleted from the end, the head pointed at the new last one: the
// head's seal shows it.
func TestHeadSealed(t *testing.T) {
	rs := chain(t, SHA256, 5)
	v := Verifier{Key: testKey}
	for _, r := range rs[:3] {
		v.Add(r)
	}
	if v.Finish(3, rs[2].Hash, HeadMAC(testKey, 5, rs[4].Hash)) {
		t.Fatal("a truncated trail with a moved head verified")
	}
	v = Verifier{Key: testKey}
	for _, r := range rs[:3] {
		v.Add(r)
	}
	if !v.Finish(3, rs[2].Hash, HeadMAC(testKey, 3, rs[2].Hash)) {
		t.Fatalf("an intact trail: %s", v.Reason)
	}
}

func TestHashDiffersByAlg(t *testing.T) {
	a, b := chain(t, SHA256, 1)[0], chain(t, SM3, 1)[0]
	if a.Hash == b.Hash || len(a.Hash) != 64 || len(b.Hash) != 64 {
		t.Fatalf("sha256 %s, sm3 %s", a.Hash, b.Hash)
	}
}
