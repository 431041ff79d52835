package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/visit"
)

// Batch is one monthly draw of closed cases for return visits.
type Batch struct {
	ID              int64
	CourtID         int64
	CourtCode       string
	CourtName       string
	CourtPath       string
	Month           string // YYYY-MM
	Kind            string
	Rule            visit.DrawRule
	Seed            string // hex
	Commitment      string
	PopulationCount int
	PopulationHash  string
	ExcludedCount   int
	SampleSize      int
	DrawnBy         string
	DrawnAt         time.Time
}

// BatchCase is a case of a batch's month: in the population or excluded
// with a reason, and selected or not.
type BatchCase struct {
	CaseID   int64
	Number   string
	Excluded string
	Selected bool
}

const batchColumns = `b.id, b.court_id, c.code, c.name, c.path, b.month, b.kind, b.rate, b.rounding, b.min_one, b.seed, b.seed_commitment,
	b.population_count, b.population_hash, b.excluded_count, b.sample_size, b.drawn_by, b.drawn_at`

func scanBatch(sc interface{ Scan(...any) error }) (*Batch, error) {
	var b Batch
	var rate string
	err := sc.Scan(&b.ID, &b.CourtID, &b.CourtCode, &b.CourtName, &b.CourtPath, &b.Month, &b.Kind, &rate, &b.Rule.Rounding, &b.Rule.MinOne,
		&b.Seed, &b.Commitment, &b.PopulationCount, &b.PopulationHash, &b.ExcludedCount, &b.SampleSize, &b.DrawnBy, &b.DrawnAt)
	if err != nil {
		return nil, translate(err)
	}
	b.Rule.Rate, _ = strconv.ParseFloat(rate, 64)
	b.DrawnAt = b.DrawnAt.UTC()
	return &b, nil
}

// canDraw reports whether v may draw a court's batch: the program itself
// (the monthly job), or that court's command centre.
func canDraw(v domain.Viewer, path string) bool {
	return visit.Runs(v) && (v.System || v.CourtPath == path)
}

// DrawBatch draws the daily-visit batch of a court for a month, or
// returns the batch already drawn, in a transaction of its own; drawn
// says whether this call drew it.
func (db *DB) DrawBatch(ctx context.Context, v domain.Viewer, courtCode, month string, rule visit.DrawRule) (*Batch, bool, error) {
	var drawn bool
	b, err := inTx(ctx, db, v, func(tx *Tx) (b *Batch, err error) {
		b, drawn, err = tx.DrawBatch(ctx, courtCode, month, rule)
		return b, err
	})
	return b, drawn && err == nil, err
}

// DrawBatch draws the daily-visit batch of a court for a month, for tx's
// viewer (the court's command centre, or the monthly job), or returns the
// batch already drawn: a court and month are drawn exactly once, even by
// two processes at once (the unique key decides; the loser reads the
// winner's batch). The population is every case of the court closed in
// the month; a case with no party who can be asked (no valid mobile of an
// 申请执行人 or 被执行人) is excluded with that reason. The seed comes from
// crypto/rand when the population is frozen, and its commitment is
// audited before the selection is computed.
func (tx *Tx) DrawBatch(ctx context.Context, courtCode, month string, rule visit.DrawRule) (*Batch, bool, error) {
	court, err := courtByCode(ctx, tx, courtCode)
	if err != nil {
		return nil, false, err
	}
	if !canDraw(tx.v, court.Path) {
		return nil, false, domain.Errorf(domain.ErrForbidden, "只有本院执行指挥中心可以抽取回访案件。")
	}
	from, to, err := domain.ParseMonth(month)
	if err != nil {
		return nil, false, err
	}
	if b, err := batchFor(ctx, tx, court.ID, month); err == nil {
		return b, false, nil
	} else if !errors.Is(err, domain.ErrNotFound) {
		return nil, false, err
	}
	// The draw runs under a savepoint, so that a draw that loses to
	// another process's leaves tx able to read the winner's batch.
	var b *Batch
	err = tx.attempt(ctx, func() error {
		var err error
		b, err = tx.drawBatch(ctx, court, month, from, to, rule)
		return err
	})
	if errors.Is(err, domain.ErrConflict) && !errors.Is(err, errRetry) {
		// Another process drew it first: that draw stands.
		b, err = batchFor(ctx, tx, court.ID, month)
		return b, false, err
	}
	if err != nil {
		return nil, false, err
	}
	return b, true, nil
}

// batchFor reads a court's daily batch of a month through q.
func batchFor(ctx context.Context, q querier, courtID int64, month string) (*Batch, error) {
	return scanBatch(q.queryRow(ctx, "SELECT "+batchColumns+" FROM visit_batches b JOIN courts c ON c.id = b.court_id WHERE b.court_id = ? AND b.month = ? AND b.kind = 'daily'", courtID, month))
}

func (tx *Tx) drawBatch(ctx context.Context, court *domain.Court, month string, from, to domain.Date, rule visit.DrawRule) (*Batch, error) {
	var all []BatchCase
	var eligible []string
	err := each(ctx, tx, func(row scanner) error {
		var bc BatchCase
		var phones int
		if err := row.Scan(&bc.CaseID, &bc.Number, &phones); err != nil {
			return err
		}
		if phones == 0 {
			bc.Excluded = "申请执行人、被执行人均无可用手机号码"
		} else {
			eligible = append(eligible, bc.Number)
		}
		all = append(all, bc)
		return nil
	}, `SELECT k.id, k.number,
		(SELECT COUNT(*) FROM parties p WHERE p.case_id = k.id AND p.role IN ('applicant', 'respondent') AND p.phone_sealed <> '')
		FROM cases k WHERE k.court_id = ? AND k.closed_on >= ? AND k.closed_on < ? ORDER BY k.number`, court.ID, from, to)
	if err != nil {
		return nil, fmt.Errorf("reading the month's closed cases: %w", err)
	}
	seedBytes := make([]byte, 32)
	rand.Read(seedBytes)
	b := &Batch{CourtID: court.ID, CourtCode: court.Code, CourtName: court.Name, CourtPath: court.Path, Month: month, Kind: "daily", Rule: rule,
		Seed: hex.EncodeToString(seedBytes), Commitment: visit.SeedCommitment(seedBytes), PopulationCount: len(eligible),
		PopulationHash: visit.PopulationHash(eligible), ExcludedCount: len(all) - len(eligible), SampleSize: visit.SampleSize(len(eligible), rule),
		DrawnBy: actorName(tx.v), DrawnAt: tx.db.now()}
	// The commitment goes into the hash chain before the selection exists.
	if err := tx.Audit(ctx, Entry{Action: "visit.seed_commit", ObjectType: "visit_batch", ObjectID: court.Code + " " + month, CourtPath: court.Path, Success: true,
		Detail: fmt.Sprintf("种子承诺 %s；总体 %d 件（哈希 %s），排除 %d 件，抽取 %d 件", b.Commitment, b.PopulationCount, b.PopulationHash, b.ExcludedCount, b.SampleSize)}); err != nil {
		return nil, err
	}
	selected := map[string]bool{}
	for _, n := range visit.Draw(seedBytes, eligible, b.SampleSize) {
		selected[n] = true
	}
	err = tx.queryRow(ctx, `INSERT INTO visit_batches (court_id, month, kind, rate, rounding, min_one, seed, seed_commitment, population_count, population_hash,
		excluded_count, sample_size, drawn_by, drawn_at) VALUES (?, ?, 'daily', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		court.ID, month, strconv.FormatFloat(rule.Rate, 'f', -1, 64), rule.Rounding, rule.MinOne, b.Seed, b.Commitment, b.PopulationCount, b.PopulationHash,
		b.ExcludedCount, b.SampleSize, b.DrawnBy, b.DrawnAt).Scan(&b.ID)
	if err != nil {
		return nil, fmt.Errorf("recording batch: %w", translate(err))
	}
	for start := 0; start < len(all); start += 200 {
		chunk := all[start:min(start+200, len(all))]
		args := make([]any, 0, len(chunk)*5)
		for _, bc := range chunk {
			args = append(args, b.ID, bc.CaseID, bc.Number, bc.Excluded, selected[bc.Number])
		}
		if _, err := tx.exec(ctx, "INSERT INTO visit_batch_cases (batch_id, case_id, number, excluded_reason, selected) VALUES "+valuesList(len(chunk), 5), args...); err != nil {
			return nil, fmt.Errorf("recording batch cases: %w", err)
		}
	}
	visits := 0
	for _, bc := range all {
		if selected[bc.Number] {
			n, err := tx.createVisits(ctx, bc.CaseID, b.ID, "daily", "", "")
			if err != nil {
				return nil, err
			}
			visits += n
		}
	}
	return b, tx.Audit(ctx, Entry{Action: "visit.draw", ObjectType: "visit_batch", ObjectID: strconv.FormatInt(b.ID, 10), CourtPath: court.Path, Success: true,
		Detail: fmt.Sprintf("%s %s：总体%d件，排除%d件，按%g%%（%s）抽取%d件，回访%d人", court.Code, month, b.PopulationCount, b.ExcludedCount, rule.Rate*100, rule.Rounding, b.SampleSize, visits)})
}

// canSeeBatch reports whether v may read a court's batches: its command
// centre and bureau, the watchdogs of the court or above.
func canSeeBatch(v domain.Viewer, path string) bool {
	if v.System {
		return true
	}
	return visit.CanSee(v) && v.CanSeeCourt(path)
}

// BatchByID returns a batch and its cases.
func (db *DB) BatchByID(ctx context.Context, v domain.Viewer, id int64) (*Batch, []BatchCase, error) {
	b, err := scanBatch(db.queryRow(ctx, "SELECT "+batchColumns+" FROM visit_batches b JOIN courts c ON c.id = b.court_id WHERE b.id = ?", id))
	if err != nil {
		return nil, nil, fmt.Errorf("loading batch %d: %w", id, err)
	}
	if !canSeeBatch(v, b.CourtPath) {
		return nil, nil, fmt.Errorf("loading batch %d: %w", id, domain.ErrNotFound)
	}
	cases, err := collect(ctx, db, func(row scanner) (bc BatchCase, err error) {
		err = row.Scan(&bc.CaseID, &bc.Number, &bc.Excluded, &bc.Selected)
		return bc, err
	}, "SELECT case_id, number, excluded_reason, selected FROM visit_batch_cases WHERE batch_id = ? ORDER BY number", id)
	if err != nil {
		return nil, nil, fmt.Errorf("loading batch cases: %w", err)
	}
	return b, cases, nil
}

// VerifyBatch recomputes a batch's selection from what is stored. It
// returns nil only if the commitment, the population, its hash, the sample
// size and every selected case agree.
func (db *DB) VerifyBatch(ctx context.Context, v domain.Viewer, id int64) (*Batch, error) {
	b, cases, err := db.BatchByID(ctx, v, id)
	if err != nil {
		return nil, err
	}
	seed, err := hex.DecodeString(b.Seed)
	if err != nil {
		return b, fmt.Errorf("batch %d: stored seed is not hex: %w", id, err)
	}
	var population, selected []string
	for _, bc := range cases {
		if bc.Excluded == "" {
			population = append(population, bc.Number)
		}
		if bc.Selected {
			selected = append(selected, bc.Number)
		}
	}
	if len(population) != b.PopulationCount {
		return b, fmt.Errorf("batch %d: %d cases in the stored population, the batch says %d", id, len(population), b.PopulationCount)
	}
	if want := visit.SampleSize(len(population), b.Rule); want != b.SampleSize {
		return b, fmt.Errorf("batch %d: the rule gives a sample of %d, the batch says %d", id, want, b.SampleSize)
	}
	return b, visit.Verify(seed, b.Commitment, population, b.PopulationHash, b.SampleSize, selected)
}

// Batches lists the batches of the courts the viewer may see, newest first.
func (db *DB) Batches(ctx context.Context, v domain.Viewer, limit int) ([]*Batch, error) {
	if !visit.CanSee(v) {
		return nil, domain.Errorf(domain.ErrForbidden, "您的角色无权查看回访抽取记录。")
	}
	prefix, exact := v.ScopePrefix()
	cond, arg := "c.path LIKE ? ESCAPE '\\'", any(likePrefix(prefix))
	if exact {
		cond, arg = "c.path = ?", any(prefix)
	}
	if limit <= 0 {
		limit = 100
	}
	out, err := collect(ctx, db, scanBatch, "SELECT "+batchColumns+" FROM visit_batches b JOIN courts c ON c.id = b.court_id WHERE "+cond+" ORDER BY b.month DESC, c.path LIMIT ?", arg, limit)
	if err != nil {
		return nil, fmt.Errorf("listing batches: %w", err)
	}
	return out, nil
}

// CourtsWithClosedCases returns the codes of courts with cases closed in
// the month and no batch yet: what the monthly job must draw.
func (db *DB) CourtsWithClosedCases(ctx context.Context, month string) ([]string, error) {
	from, to, err := domain.ParseMonth(month)
	if err != nil {
		return nil, err
	}
	out, err := collect(ctx, db, scanString, `SELECT c.code FROM courts c WHERE EXISTS (SELECT 1 FROM cases k WHERE k.court_id = c.id AND k.closed_on >= ? AND k.closed_on < ?)
		AND NOT EXISTS (SELECT 1 FROM visit_batches b WHERE b.court_id = c.id AND b.month = ? AND b.kind = 'daily') ORDER BY c.path`, from, to, month)
	if err != nil {
		return nil, fmt.Errorf("finding courts to draw: %w", err)
	}
	return out, nil
}
