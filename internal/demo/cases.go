package demo

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/synth"
)

// CasesPerCourt is how many synthetic cases each demo court gets.
const CasesPerCourt = 60

// FlagshipCourt is the court of the printed demo accounts; it gets
// FlagshipCases cases instead of CasesPerCourt.
const (
	FlagshipCourt = "鲁0102"
	FlagshipCases = 600
)

// SeedCases fills the demo courts with synthetic cases handled by their
// demo officers, once: if the database has cases already it does nothing.
func SeedCases(ctx context.Context, db *store.DB, log *slog.Logger) error {
	sys := domain.SystemViewer("demo")
	page, err := db.Cases(ctx, sys, store.CaseFilter{Limit: 1})
	if err != nil {
		return err
	}
	if page.Total > 0 {
		return nil
	}
	all, err := db.Courts(ctx, sys)
	if err != nil {
		return err
	}
	users, _, err := db.Users(ctx, sys, store.UserFilter{Page: store.PageReq{All: true}})
	if err != nil {
		return err
	}
	officers := map[string][]synth.Officer{}
	for _, u := range users {
		if u.HasRole(domain.RoleOfficer) {
			officers[u.CourtCode] = append(officers[u.CourtCode], synth.Officer{Name: u.Name, Department: u.Department})
		}
	}
	var courts []synth.Court
	for _, c := range Courts(all) {
		if len(officers[c.Code]) > 0 {
			courts = append(courts, synth.Court{Code: c.Code, Officers: officers[c.Code]})
		}
	}
	// The court whose accounts the demo prints gets a busier docket of its
	// own generator, so that its month of visits shows every state.
	var flagship, others []synth.Court
	for _, c := range courts {
		if c.Code == FlagshipCourt {
			flagship = append(flagship, c)
		} else {
			others = append(others, c)
		}
	}
	tiers := courtTiers(all)
	shaper := rand.New(rand.NewPCG(20210226, 18))
	withProperty := map[string]*int{}
	g := synth.New(synth.Config{Seed: 20210226, Today: db.Today(), Cases: CasesPerCourt * len(others)}, others)
	fg := synth.New(synth.Config{Seed: 20210227, Today: db.Today(), Cases: FlagshipCases}, flagship)
	total := CasesPerCourt*len(others) + FlagshipCases
	for done := 0; done < total; {
		n := min(500, total-done)
		batch := make([]*domain.Case, n)
		for i := range batch {
			if done+i < CasesPerCourt*len(others) {
				batch[i] = g.Next()
			} else {
				batch[i] = fg.Next()
			}
			k := batch[i]
			if withProperty[k.No.Court] == nil {
				withProperty[k.No.Court] = new(int)
			}
			tiers[k.No.Court].shape(k, db.Today(), shaper, withProperty[k.No.Court])
		}
		err := db.Update(ctx, sys, func(tx *store.Tx) error {
			res, err := tx.UpsertCases(ctx, batch, nil)
			for _, r := range res {
				if r.Err != nil {
					return fmt.Errorf("demo case rejected: %w", r.Err)
				}
			}
			return err
		})
		if err != nil {
			return err
		}
		done += n
	}
	log.Info("demo cases created", "cases", total)
	return nil
}
