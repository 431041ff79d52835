package store

import (
	"context"
	"fmt"

	"github.com/zhilian/zhilian/internal/domain"
)

// CasePrep is the work on an incoming case that needs no database: its
// source fingerprint and its parties' phones sealed with their blind
// indexes. An import does it on every core (PrepareCase) while a batch's
// transaction, on one, only resolves and writes (UpsertPrepared).
type CasePrep struct {
	hash   string
	supBy  string // c.SupervisedBy when hashed: resolving may rewrite a court's name to its code
	phones []preparedPhone
}

type preparedPhone struct{ plain, sealed, index string }

// PrepareCase fingerprints c and seals its parties' phones. It reads only
// c and the key, so any number of goroutines may call it at once. It
// returns nil without a key (UpsertPrepared then fails as UpsertCases
// does).
func (db *DB) PrepareCase(c *domain.Case) (*CasePrep, error) {
	if db.Sealer == nil {
		return nil, nil
	}
	p := &CasePrep{hash: sourceHash(c), supBy: c.SupervisedBy}
	for _, party := range c.Parties {
		if party.Phone == "" {
			continue
		}
		sealed, err := db.Sealer.Seal(party.Phone)
		if err != nil {
			return nil, fmt.Errorf("sealing phone: %w", err)
		}
		p.phones = append(p.phones, preparedPhone{plain: party.Phone, sealed: sealed, index: db.Sealer.BlindIndex(party.Phone)})
	}
	return p, nil
}

// UpsertPrepared is UpsertCases for cases prepared by PrepareCase: preps[i]
// (nil if not prepared) belongs to cases[i]. What the transaction changes
// of a case before writing it (a merge with the stored case, a supervising
// court's name resolved to its code) is fingerprinted and sealed afresh.
func (tx *Tx) UpsertPrepared(ctx context.Context, cases []*domain.Case, preps []*CasePrep, merge Merge) ([]CaseResult, error) {
	if len(preps) != len(cases) {
		return nil, fmt.Errorf("upserting cases: %d preparations for %d cases", len(preps), len(cases))
	}
	tx.preps = make(map[*domain.Case]*CasePrep, len(cases))
	defer func() { tx.preps = nil }()
	for i, c := range cases {
		if preps[i] != nil {
			tx.preps[c] = preps[i]
		}
	}
	return tx.UpsertCases(ctx, cases, merge)
}

// preparedHash returns c's fingerprint, the prepared one if c has not
// changed since.
func (tx *Tx) preparedHash(c *domain.Case, merged bool) string {
	if p := tx.preps[c]; p != nil && !merged && p.supBy == c.SupervisedBy {
		return p.hash
	}
	return sourceHash(c)
}

// sealPartyPhone seals the phone of one of c's parties, or takes it from
// c's preparation.
func (tx *Tx) sealPartyPhone(c *domain.Case, phone string) (sealed, index string, err error) {
	if phone == "" {
		return "", "", nil
	}
	if p := tx.preps[c]; p != nil {
		for _, ph := range p.phones {
			if ph.plain == phone {
				return ph.sealed, ph.index, nil
			}
		}
	}
	return tx.sealPhone(phone)
}
