package visit

import (
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/zhilian/zhilian/internal/domain"
)

func TestSampleSize(t *testing.T) {
	def := DefaultDrawRule()
	tests := []struct {
		pop  int
		rule DrawRule
		want int
	}{
		{0, def, 0},
		{1, def, 1},
		{19, def, 1},
		{20, def, 1},
		{21, def, 2},
		{100, def, 5},
		{101, def, 6},
		{1000, def, 50},
		{-3, def, 0},
		{19, DrawRule{Rate: 0.05}, 1}, // ceil by default
		{19, DrawRule{Rate: 0.05, Rounding: RoundFloor}, 0}, // no MinOne
		{19, DrawRule{Rate: 0.05, Rounding: RoundFloor, MinOne: true}, 1},
		{30, DrawRule{Rate: 0.05, Rounding: RoundRound}, 2}, // 1.5 rounds up
		{29, DrawRule{Rate: 0.05, Rounding: RoundRound}, 1}, // 1.45
		{101, DrawRule{Rate: 0.05, Rounding: RoundFloor}, 5},
		{3, DrawRule{Rate: 0.1, Rounding: RoundCeil}, 1},
		{10, DrawRule{Rate: 0.3, Rounding: RoundCeil}, 3}, // 0.3*10 is 3.0000000000000004 in float64
		{7, DrawRule{Rate: 1, MinOne: true}, 7},
		{7, DrawRule{Rate: 2}, 7}, // clamped
		{7, DrawRule{Rate: -1, MinOne: true}, 1},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%d/%+v", tt.pop, tt.rule), func(t *testing.T) {
			if got := SampleSize(tt.pop, tt.rule); got != tt.want {
				t.Errorf("SampleSize(%d, %+v) = %d, want %d", tt.pop, tt.rule, got, tt.want)
			}
		})
	}
}

func TestDrawRuleValidate(t *testing.T) {
	if err := DefaultDrawRule().Validate(); err != nil {
		t.Fatal(err)
	}
	for _, r := range []DrawRule{{Rate: 0}, {Rate: 1.5}, {Rate: 0.05, Rounding: "up"}} {
		if err := r.Validate(); !errors.Is(err, domain.ErrInvalid) {
			t.Errorf("%+v: err = %v, want ErrInvalid", r, err)
		}
	}
}

var kaSeed, _ = hex.DecodeString("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f")

var kaPop = []string{"（2021）鲁0102执123号", "（2021）鲁0102执124号", "（2022）鲁0102执恢7号", "（2023）鲁01执5号"}

// TestDrawKnownAnswer pins the rule to values computed independently with
// OpenSSL and sha256sum, as the doc comment of Draw tells third parties to.
func TestDrawKnownAnswer(t *testing.T) {
	got := Draw(kaSeed, kaPop, 4)
	want := []string{"（2023）鲁01执5号", "（2021）鲁0102执123号", "（2022）鲁0102执恢7号", "（2021）鲁0102执124号"}
	if !slices.Equal(got, want) {
		t.Errorf("Draw = %v, want %v", got, want)
	}
	if h := PopulationHash(kaPop); h != "9f73e8c21add692ef2e3710484238ebb39dda494c0c555ea9892dc792ff0108f" {
		t.Errorf("PopulationHash = %s", h)
	}
	if c := SeedCommitment(kaSeed); c != "630dcd2966c4336691125448bbb25b4ff412a49c732db2c8abc1b8581bd710dd" {
		t.Errorf("SeedCommitment = %s", c)
	}
}

func population(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("（2024）鲁0102执%d号", i+1)
	}
	return out
}

func TestDrawDeterministicAndOrderIndependent(t *testing.T) {
	pop := population(200)
	seed := []byte("seed-a")
	a := Draw(seed, pop, 10)
	if len(a) != 10 {
		t.Fatalf("len = %d", len(a))
	}
	if b := Draw(seed, pop, 10); !slices.Equal(a, b) {
		t.Errorf("not deterministic: %v vs %v", a, b)
	}
	rev := slices.Clone(pop)
	slices.Reverse(rev)
	rev = append(rev, pop[:50]...) // duplicates count once
	if b := Draw(seed, rev, 10); !slices.Equal(a, b) {
		t.Errorf("depends on input order: %v vs %v", a, b)
	}
	if PopulationHash(pop) != PopulationHash(rev) {
		t.Error("PopulationHash depends on order or duplicates")
	}
	if b := Draw([]byte("seed-b"), pop, 10); slices.Equal(a, b) {
		t.Errorf("different seeds gave the same selection %v", a)
	}
	if b := Draw(seed, pop, 5); !slices.Equal(a[:5], b) {
		t.Errorf("smaller n is not a prefix: %v vs %v", a[:5], b)
	}
	if got := Draw(seed, pop[:3], 10); len(got) != 3 {
		t.Errorf("n > population: %v", got)
	}
	if got := Draw(seed, nil, 1); len(got) != 0 {
		t.Errorf("empty population: %v", got)
	}
	if got := Draw(seed, pop, -1); len(got) != 0 {
		t.Errorf("negative n: %v", got)
	}
}

func TestVerify(t *testing.T) {
	pop := population(120)
	seed := []byte("0123456789abcdef0123456789abcdef")
	commit, popHash := SeedCommitment(seed), PopulationHash(pop)
	n := SampleSize(len(pop), DefaultDrawRule())
	sel := Draw(seed, pop, n)

	shuffled := slices.Clone(sel)
	slices.Reverse(shuffled)
	if err := Verify(seed, commit, pop, popHash, n, shuffled); err != nil {
		t.Fatalf("valid batch: %v", err)
	}

	outsider := ""
	for _, no := range pop {
		if !slices.Contains(sel, no) {
			outsider = no
			break
		}
	}
	swapped := slices.Clone(sel)
	swapped[2] = outsider

	tests := []struct {
		name     string
		seed     []byte
		pop      []string
		n        int
		sel      []string
		fields   []string
		mentions string
	}{
		{"swapped case", seed, pop, n, swapped, []string{"selection", "selection"}, outsider},
		{"changed seed", []byte("another seed"), pop, n, sel, []string{"commitment", "selection"}, ""},
		{"case added to population", seed, append(slices.Clone(pop), "（2024）鲁0102执999号"), n, sel, []string{"population_hash"}, ""},
		{"case removed from population", seed, pop[1:], n, sel, []string{"population_hash"}, ""},
		{"one case dropped", seed, pop, n, sel[1:], []string{"count", "selection"}, sel[0]},
		{"count changed", seed, pop, n + 1, sel, []string{"count", "selection"}, ""},
		{"duplicate selected", seed, pop, n, append(slices.Clone(sel[1:]), sel[1]), []string{"count", "selection"}, sel[0]},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Verify(tt.seed, commit, tt.pop, popHash, tt.n, tt.sel)
			var ve *VerifyError
			if !errors.As(err, &ve) || !errors.Is(err, domain.ErrInvalid) {
				t.Fatalf("err = %v, want *VerifyError", err)
			}
			var fields []string
			found := tt.mentions == ""
			for _, m := range ve.Mismatches {
				if !slices.Contains(fields, m.Field) {
					fields = append(fields, m.Field)
				}
				if m.Case == tt.mentions {
					found = true
				}
			}
			for _, f := range tt.fields {
				if !slices.Contains(fields, f) {
					t.Errorf("mismatches %v lack %q", ve.Mismatches, f)
				}
			}
			if !found {
				t.Errorf("mismatches %v do not name %s", ve.Mismatches, tt.mentions)
			}
			if err.Error() == "" {
				t.Error("empty message")
			}
		})
	}
}
