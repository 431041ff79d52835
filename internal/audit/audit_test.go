package audit

import (
	"testing"
	"time"
)

func chain(t *testing.T, alg string, n int) []*Record {
	t.Helper()
	var out []*Record
	prevSeq, prevHash := int64(0), ""
	for i := 0; i < n; i++ {
		r := &Record{At: time.Date(2026, 11, 1, 8, 0, i, 123456789, time.UTC), Actor: "张伟", Action: "login", Success: true, Alg: alg}
		if err := Seal(r, prevSeq, prevHash); err != nil {
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
					rs[1].Hash, _ = ComputeHash(rs[1])
					return rs
				}, 3},
				{"tail deleted", func(rs []*Record) []*Record { return rs[:4] }, 5},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					rs := chain(t, alg, 5)
					head := rs[4]
					headSeq, headHash := head.Seq, head.Hash
					var v Verifier
					for _, r := range tt.tamper(rs) {
						if !v.Add(r) {
							break
						}
					}
					v.Finish(headSeq, headHash)
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

func TestHashDiffersByAlg(t *testing.T) {
	a, b := chain(t, SHA256, 1)[0], chain(t, SM3, 1)[0]
	if a.Hash == b.Hash || len(a.Hash) != 64 || len(b.Hash) != 64 {
		t.Fatalf("sha256 %s, sm3 %s", a.Hash, b.Hash)
	}
}
