package auth

import (
	"testing"

	"github.com/zhilian/zhilian/internal/domain"
)

func TestPasswordHash(t *testing.T) {
	p := Params{Memory: 1024, Time: 1, Threads: 1}
	h := HashPassword("Zhilian@2026", p)
	if h == HashPassword("Zhilian@2026", p) {
		t.Fatal("two hashes of one password are equal: no salt")
	}
	for pw, want := range map[string]bool{"Zhilian@2026": true, "zhilian@2026": false, "": false} {
		ok, err := CheckPassword(h, pw)
		if err != nil || ok != want {
			t.Errorf("CheckPassword(%q) = %v, %v", pw, ok, err)
		}
	}
	// Default parameters are what OWASP recommends, and are recorded in the hash.
	if d := HashPassword("x", DefaultParams); d[:30] != "$argon2id$v=19$m=19456,t=2,p=1" {
		t.Fatalf("default hash %s", d)
	}
	for _, bad := range []string{"", "$argon2id$v=19$m=1,t=1,p=1$!!$!!", "$bcrypt$x", "$argon2id$v=18$m=1024,t=1,p=1$c2FsdA$a2V5"} {
		if _, err := CheckPassword(bad, "x"); err == nil {
			t.Errorf("malformed hash %q accepted", bad)
		}
	}
}

func TestTemporaryPassword(t *testing.T) {
	seen := map[string]bool{}
	for range 200 {
		p := TemporaryPassword()
		if err := domain.CheckPassword("someone", "某人", p); err != nil || len(p) != 19 || seen[p] {
			t.Fatalf("temporary password %q: %v", p, err)
		}
		seen[p] = true
	}
}
