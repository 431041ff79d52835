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
	// limited: the case's due date (DueOn, ClockStopped) was computed
	// from the rules alone, as a new case's is; a stored case's comes
	// from its ledger (limitChanged).
	limited bool
}

type preparedPhone struct{ plain, sealed, index string }

// PrepareCase fingerprints c, seals its parties' phones and computes its
// due date as a new case's (over a quarter of the CPU a batch's
// transaction spent in zhilian at 200,000 cases on PostgreSQL, pprof). It reads only c, the key and
// the rules, so any number of goroutines may call it at once, after
// PrepareBulk. It returns nil without a key (UpsertPrepared then fails
// as UpsertCases does).
func (db *DB) PrepareCase(c *domain.Case) (*CasePrep, error) {
	if db.Sealer == nil {
		return nil, nil
	}
	p := &CasePrep{hash: sourceHash(c), supBy: c.SupervisedBy}
	if db.Limits != nil { // set by PrepareBulk
		db.applyLimit(c, nil, nil)
		p.limited = true
	}
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

// limitFresh sets the due date of c, a new case: the one computed by
// PrepareCase if c has not been merged since (what it depends on — the
// case's type, filing date and property — resolving does not change).
func (tx *Tx) limitFresh(c *domain.Case, merged bool) {
	if p := tx.preps[c]; p != nil && p.limited && !merged {
		return
	}
	tx.db.applyLimit(c, nil, nil)
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
