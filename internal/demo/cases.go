package demo

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/store"
	"github.com/zhilian/zhilian/internal/synth"
)

// CasesPerCourt is how many synthetic cases each demo court gets.
const CasesPerCourt = 60

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
	users, err := db.Users(ctx, sys, store.UserFilter{Limit: 1000})
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
	g := synth.New(synth.Config{Seed: 20210226, Today: db.Today()}, courts)
	total := CasesPerCourt * len(courts)
	for done := 0; done < total; {
		n := min(500, total-done)
		batch := make([]*domain.Case, n)
		for i := range batch {
			batch[i] = g.Next()
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
