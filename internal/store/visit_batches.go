package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/visit"
)

// Batch is one draw of closed cases of a court's month for return visits:
// the month's first draw, or a supplementary draw (补充抽取) over the cases
// whose closing reached the system after it.
type Batch struct {
	ID              int64
	CourtID         int64
	CourtCode       string
	CourtName       string
	CourtPath       string
	Month           string // YYYY-MM
	Kind            string // visit.BatchDaily or visit.BatchSupplement
	Seq             int    // 0 for the month's first draw, 1, 2 … for the supplements
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

const batchColumns = `b.id, b.court_id, c.code, c.name, c.path, b.month, b.kind, b.seq, b.rate, b.rounding, b.min_one, b.case_types, b.closing_modes,
	b.seed, b.seed_commitment, b.population_count, b.population_hash, b.excluded_count, b.sample_size, b.drawn_by, b.drawn_at`

func scanBatch(sc interface{ Scan(...any) error }) (*Batch, error) {
	var b Batch
	var rate, types, modes string
	err := sc.Scan(&b.ID, &b.CourtID, &b.CourtCode, &b.CourtName, &b.CourtPath, &b.Month, &b.Kind, &b.Seq, &rate, &b.Rule.Rounding, &b.Rule.MinOne,
		&types, &modes, &b.Seed, &b.Commitment, &b.PopulationCount, &b.PopulationHash, &b.ExcludedCount, &b.SampleSize, &b.DrawnBy, &b.DrawnAt)
	if err != nil {
		return nil, translate(err)
	}
	b.Rule.Rate, _ = strconv.ParseFloat(rate, 64)
	b.Rule.CaseTypes, b.Rule.ClosingModes = splitList(types), splitList(modes)
	b.DrawnAt = b.DrawnAt.UTC()
	return &b, nil
}

// splitList reads a comma-separated list stored by joinCodes.
func splitList(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

// canDraw reports whether v may draw a court's batch: the program itself
// (the monthly job), or that court's command centre.
func canDraw(v domain.Viewer, path string) bool {
	return visit.Runs(v) && (v.System || v.CourtPath == path)
}

// DrawBatch draws the month's first batch of a court, or returns the batch
// already drawn, in a transaction of its own; drawn says whether this call
// drew it.
func (db *DB) DrawBatch(ctx context.Context, v domain.Viewer, courtCode, month string, rule visit.DrawRule) (*Batch, bool, error) {
	var drawn bool
	b, err := inTx(ctx, db, v, func(tx *Tx) (b *Batch, err error) {
		b, drawn, err = tx.DrawBatch(ctx, courtCode, month, rule)
		return b, err
	})
	return b, drawn && err == nil, err
}

// DrawBatch draws the month's first batch of a court, for tx's viewer (the
// court's command centre, or the monthly job), or returns the batch
// already drawn: a court's month is first drawn exactly once, even by two
// processes at once (the unique key decides; the loser reads the winner's
// batch). Only a finished month (Beijing time) is drawn. The population is
// every case of the court closed in the month (by 结案日期) whose type and
// closing mode the rule counts; the others are recorded as excluded with
// the reason. A selected case whose parties have no usable mobile stays in
// the sample and goes to the phone. The seed comes from crypto/rand when
// the population is frozen, and its commitment is audited before the
// selection is computed.
func (tx *Tx) DrawBatch(ctx context.Context, courtCode, month string, rule visit.DrawRule) (*Batch, bool, error) {
	return tx.draw(ctx, courtCode, month, visit.BatchDaily, rule)
}

// DrawSupplement draws a supplementary batch (补充抽取) of a court's month
// in a transaction of its own.
func (db *DB) DrawSupplement(ctx context.Context, v domain.Viewer, courtCode, month string, rule visit.DrawRule) (*Batch, error) {
	return inTx(ctx, db, v, func(tx *Tx) (*Batch, error) {
		b, _, err := tx.draw(ctx, courtCode, month, visit.BatchSupplement, rule)
		return b, err
	})
}

func (tx *Tx) draw(ctx context.Context, courtCode, month, kind string, rule visit.DrawRule) (*Batch, bool, error) {
	court, err := courtByCode(ctx, tx, courtCode)
	if err != nil {
		return nil, false, err
	}
	if !canDraw(tx.v, court.Path) {
		return nil, false, domain.Errorf(domain.ErrForbidden, "只有本院执行指挥中心可以抽取回访案件。")
	}
	if err := visit.DrawableMonth(month, tx.db.today()); err != nil {
		return nil, false, err
	}
	first, err := batchFor(ctx, tx, court.ID, month)
	switch {
	case err == nil && kind == visit.BatchDaily:
		return first, false, nil
	case errors.Is(err, domain.ErrNotFound) && kind == visit.BatchSupplement:
		return nil, false, domain.Errorf(domain.ErrConflict, "%s 尚未抽取，不能补充抽取。", month)
	case err != nil && !errors.Is(err, domain.ErrNotFound):
		return nil, false, err
	}
	// The draw runs under a savepoint, so that a draw that loses to
	// another process's leaves tx able to read the winner's batch.
	var b *Batch
	err = tx.attempt(ctx, func() error {
		var err error
		b, err = tx.drawBatch(ctx, court, month, kind, rule)
		return err
	})
	if kind == visit.BatchDaily && errors.Is(err, domain.ErrConflict) && !errors.Is(err, errRetry) {
		// Another process drew it first: that draw stands.
		b, err = batchFor(ctx, tx, court.ID, month)
		return b, false, err
	}
	if err != nil {
		return nil, false, err
	}
	return b, true, nil
}

// batchFor reads a court's first batch of a month through q.
func batchFor(ctx context.Context, q querier, courtID int64, month string) (*Batch, error) {
	return scanBatch(q.queryRow(ctx, "SELECT "+batchColumns+" FROM visit_batches b JOIN courts c ON c.id = b.court_id WHERE b.court_id = ? AND b.month = ? AND b.seq = 0", courtID, month))
}

// notDrawn keeps the cases k no batch of the court's month has recorded.
const notDrawn = "NOT EXISTS (SELECT 1 FROM visit_batch_cases bc JOIN visit_batches b ON b.id = bc.batch_id WHERE bc.case_id = k.id AND b.month = ?)"

func (tx *Tx) drawBatch(ctx context.Context, court *domain.Court, month, kind string, rule visit.DrawRule) (*Batch, error) {
	from, to, err := domain.ParseMonth(month)
	if err != nil {
		return nil, err
	}
	seq := 0
	q := `SELECT k.id, k.number, k.type, k.closing_mode FROM cases k WHERE k.court_id = ? AND k.closed_on >= ? AND k.closed_on < ?`
	args := []any{court.ID, from, to}
	if kind == visit.BatchSupplement {
		if err := tx.queryRow(ctx, "SELECT COALESCE(MAX(seq), 0) + 1 FROM visit_batches WHERE court_id = ? AND month = ?", court.ID, month).Scan(&seq); err != nil {
			return nil, fmt.Errorf("numbering the supplement: %w", translate(err))
		}
		q += " AND " + notDrawn
		args = append(args, month)
	}
	var all []BatchCase
	var population []string
	err = each(ctx, tx, func(row scanner) error {
		var bc BatchCase
		var typ, mode string
		if err := row.Scan(&bc.CaseID, &bc.Number, &typ, &mode); err != nil {
			return err
		}
		if bc.Excluded = rule.Exclusion(typ, mode); bc.Excluded == "" {
			population = append(population, bc.Number)
		}
		all = append(all, bc)
		return nil
	}, q+" ORDER BY k.number", args...)
	if err != nil {
		return nil, fmt.Errorf("reading the month's closed cases: %w", err)
	}
	if kind == visit.BatchSupplement && len(population) == 0 {
		return nil, domain.Errorf(domain.ErrConflict, "%s 抽取后没有新录入的执结执行实施案件，无需补充抽取。", month)
	}
	seedBytes := make([]byte, 32)
	rand.Read(seedBytes)
	b := &Batch{CourtID: court.ID, CourtCode: court.Code, CourtName: court.Name, CourtPath: court.Path, Month: month, Kind: kind, Seq: seq, Rule: rule,
		Seed: hex.EncodeToString(seedBytes), Commitment: visit.SeedCommitment(seedBytes), PopulationCount: len(population),
		PopulationHash: visit.PopulationHash(population), ExcludedCount: len(all) - len(population), SampleSize: visit.SampleSize(len(population), rule),
		DrawnBy: actorName(tx.v), DrawnAt: tx.db.now()}
	label := visit.BatchKindLabel(kind)
	// The commitment goes into the hash chain before the selection exists.
	if err := tx.Audit(ctx, Entry{Action: "visit.seed_commit", ObjectType: "visit_batch", ObjectID: fmt.Sprintf("%s %s #%d", court.Code, month, seq), CourtPath: court.Path, Success: true,
		Detail: fmt.Sprintf("%s种子承诺 %s；总体 %d 件（哈希 %s），排除 %d 件，抽取 %d 件", label, b.Commitment, b.PopulationCount, b.PopulationHash, b.ExcludedCount, b.SampleSize)}); err != nil {
		return nil, err
	}
	selected := map[string]bool{}
	for _, n := range visit.Draw(seedBytes, population, b.SampleSize) {
		selected[n] = true
	}
	err = tx.queryRow(ctx, `INSERT INTO visit_batches (court_id, month, kind, seq, rate, rounding, min_one, case_types, closing_modes, seed, seed_commitment,
		population_count, population_hash, excluded_count, sample_size, drawn_by, drawn_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		court.ID, month, kind, seq, strconv.FormatFloat(rule.Rate, 'f', -1, 64), rule.Rounding, rule.MinOne, joinCodes(rule.CaseTypes), joinCodes(rule.ClosingModes),
		b.Seed, b.Commitment, b.PopulationCount, b.PopulationHash, b.ExcludedCount, b.SampleSize, b.DrawnBy, b.DrawnAt).Scan(&b.ID)
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
	var started visitsStarted
	for _, bc := range all {
		if selected[bc.Number] {
			n, err := tx.createVisits(ctx, bc.CaseID, visitReason{batchID: b.ID, kind: "daily", reason: visit.ReasonDaily})
			if err != nil {
				return nil, err
			}
			started.add(n)
		}
	}
	return b, tx.Audit(ctx, Entry{Action: "visit.draw", ObjectType: "visit_batch", ObjectID: strconv.FormatInt(b.ID, 10), CourtPath: court.Path, Success: true,
		Detail: fmt.Sprintf("%s %s %s：总体%d件，排除%d件，按%g%%（%s）抽取%d件，回访%d人，并入进行中的回访%d人", court.Code, month, label, b.PopulationCount,
			b.ExcludedCount, rule.Rate*100, rule.Rounding, b.SampleSize, started.created, started.merged)})
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
	cond, arg := "c.path LIKE CAST(? AS TEXT) ESCAPE '\\'", any(likePrefix(prefix))
	if exact {
		cond, arg = "c.path = ?", any(prefix)
	}
	if limit <= 0 {
		limit = 100
	}
	out, err := collect(ctx, db, scanBatch, "SELECT "+batchColumns+" FROM visit_batches b JOIN courts c ON c.id = b.court_id WHERE "+cond+" ORDER BY b.month DESC, c.path, b.seq LIMIT ?", arg, limit)
	if err != nil {
		return nil, fmt.Errorf("listing batches: %w", err)
	}
	return out, nil
}

// MonthBatches returns the batches of a batch's court and month, the first
// draw and its supplements in order, as far as v may see them.
func (db *DB) MonthBatches(ctx context.Context, v domain.Viewer, b *Batch) ([]*Batch, error) {
	if !canSeeBatch(v, b.CourtPath) {
		return nil, domain.ErrNotFound
	}
	out, err := collect(ctx, db, scanBatch, "SELECT "+batchColumns+" FROM visit_batches b JOIN courts c ON c.id = b.court_id WHERE b.court_id = ? AND b.month = ? ORDER BY b.seq", b.CourtID, b.Month)
	if err != nil {
		return nil, fmt.Errorf("listing the month's batches: %w", err)
	}
	return out, nil
}

// CourtsToSupplement returns the codes of courts whose month was drawn and
// has since received closed cases the rule counts and no batch recorded,
// when the month's last draw is older than quiet: what the daily job draws
// a supplement for. Waiting quiet gathers a trickle of late cases into one
// supplement instead of one a day.
func (db *DB) CourtsToSupplement(ctx context.Context, month string, rule visit.DrawRule, quiet time.Duration) ([]string, error) {
	from, to, err := domain.ParseMonth(month)
	if err != nil {
		return nil, err
	}
	cond, args := "", []any{month, db.now().Add(-quiet), from, to, month}
	if len(rule.CaseTypes) > 0 {
		cond += " AND k.type IN (" + placeholders(len(rule.CaseTypes)) + ")"
		for _, t := range rule.CaseTypes {
			args = append(args, t)
		}
	}
	if len(rule.ClosingModes) > 0 {
		cond += " AND k.closing_mode IN (" + placeholders(len(rule.ClosingModes)) + ")"
		for _, m := range rule.ClosingModes {
			args = append(args, m)
		}
	}
	out, err := collect(ctx, db, scanString, `SELECT c.code FROM courts c WHERE
		EXISTS (SELECT 1 FROM visit_batches b WHERE b.court_id = c.id AND b.month = ?)
		AND NOT EXISTS (SELECT 1 FROM visit_batches b WHERE b.court_id = c.id AND b.month = ? AND b.drawn_at > ?)
		AND EXISTS (SELECT 1 FROM cases k WHERE k.court_id = c.id AND k.closed_on >= ? AND k.closed_on < ? AND `+notDrawn+cond+`) ORDER BY c.path`,
		append([]any{month}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("finding courts to supplement: %w", err)
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
		AND NOT EXISTS (SELECT 1 FROM visit_batches b WHERE b.court_id = c.id AND b.month = ?) ORDER BY c.path`, from, to, month)
	if err != nil {
		return nil, fmt.Errorf("finding courts to draw: %w", err)
	}
	return out, nil
}
