package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/oversight"
	"github.com/zhilian/zhilian/internal/overview"
	"github.com/zhilian/zhilian/internal/report"
	"github.com/zhilian/zhilian/internal/trip"
)

// The periodic report 四项机制运行情况报告 (issue 18): who may do what is
// package report's (report.Check); here it is enforced inside the
// transaction, and a submitted report's content is frozen and signed.

// RunReport is a court's report for a period.
type RunReport struct {
	ID                              int64
	CourtID                         int64
	CourtCode, CourtName, CourtPath string
	Period                          overview.Period
	State                           report.State
	Narrative                       report.Narrative
	CreatedBy, UpdatedBy            string
	CreatedAt, UpdatedAt            time.Time
	// Submissions is how many times it was submitted (a returned report
	// is submitted again).
	Submissions int
	// Snapshot is the canonical content frozen at the last submission and
	// Signature its signature; empty before the first.
	Snapshot  []byte
	Signature trip.Signature
	// ReturnedBy, ReturnedAt and ReturnReason are the last return's.
	ReturnedBy   string
	ReturnedAt   time.Time
	ReturnReason string
}

// Subject is what report.Check needs of the report.
func (r *RunReport) Subject() report.Subject {
	return report.Subject{CourtPath: r.CourtPath, State: r.State}
}

// Title is the report's title.
func (r *RunReport) Title() string { return report.Title(r.CourtName, r.Period) }

// Frozen reports whether the report is shown from its frozen snapshot:
// while it stands submitted.
func (r *RunReport) Frozen() bool { return r.State == report.StateSubmitted }

// Verified reports whether the stored snapshot is what was signed.
func (r *RunReport) Verified() bool {
	return r.Signature.Hash != "" && report.Verify(r.Signature, r.Snapshot)
}

const runReportColumns = `r.id, r.court_id, c.code, c.name, c.path, r.period, r.state, r.narrative, r.created_by, r.created_at, r.updated_by,
	r.updated_at, r.submissions, r.snapshot, COALESCE(r.signer_id, 0), r.signer, r.signed_at, r.content_hash, r.returned_by, r.returned_at, r.return_reason`

const runReportFrom = " FROM run_reports r JOIN courts c ON c.id = r.court_id"

func scanRunReport(row scanner) (*RunReport, error) {
	var r RunReport
	var period, state, narrative, snapshot string
	var signedAt, returnedAt sql.NullTime
	err := row.Scan(&r.ID, &r.CourtID, &r.CourtCode, &r.CourtName, &r.CourtPath, &period, &state, &narrative, &r.CreatedBy, &r.CreatedAt,
		&r.UpdatedBy, &r.UpdatedAt, &r.Submissions, &snapshot, &r.Signature.SignerID, &r.Signature.Signer, &signedAt, &r.Signature.Hash,
		&r.ReturnedBy, &returnedAt, &r.ReturnReason)
	if err != nil {
		return nil, err
	}
	if r.Period, err = report.ParsePeriod(period); err != nil {
		return nil, fmt.Errorf("report %d: period %q: %w", r.ID, period, err)
	}
	if err := json.Unmarshal([]byte(narrative), &r.Narrative); err != nil {
		return nil, fmt.Errorf("report %d: reading its narrative: %w", r.ID, err)
	}
	r.State, r.Snapshot = report.State(state), []byte(snapshot)
	r.CreatedAt, r.UpdatedAt = r.CreatedAt.UTC(), r.UpdatedAt.UTC()
	r.Signature.At, r.ReturnedAt = timeOf(signedAt), timeOf(returnedAt)
	return &r, nil
}

// runReportRow reads report id through q, for any viewer: the caller
// checks what v may do with it.
func runReportRow(ctx context.Context, q querier, id int64) (*RunReport, error) {
	r, err := scanRunReport(q.queryRow(ctx, "SELECT "+runReportColumns+runReportFrom+" WHERE r.id = ?", id))
	if err != nil {
		return nil, fmt.Errorf("loading report %d: %w", id, translate(err))
	}
	return r, nil
}

// RunReport reads report id for v; a report v may not see is not found.
func (db *DB) RunReport(ctx context.Context, v domain.Viewer, id int64) (*RunReport, error) {
	r, err := runReportRow(ctx, db, id)
	if err != nil {
		return nil, err
	}
	if err := report.Check(report.Read, v, r.Subject()); err != nil {
		return nil, err
	}
	return r, nil
}

// runReportAllows reads report id inside tx and checks that tx's viewer
// may do a to it now.
func (tx *Tx) runReportAllows(ctx context.Context, id int64, a report.Action) (*RunReport, error) {
	r, err := runReportRow(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	return r, report.Check(a, tx.v, r.Subject())
}

// RunReportFilter picks reports from the list.
type RunReportFilter struct {
	// Kind is month, quarter or year; "" for all.
	Kind overview.PeriodKind
	// Own keeps the viewer's court's reports alone; Below those of the
	// courts below it.
	Own, Below bool
	Page       PageReq
}

// RunReportSorts are the orders of the report list, the latest period
// first by default.
var RunReportSorts = Sorts{Keys: map[string][]string{
	"period":    {"r.period_to", "r.period_kind"},
	"court":     {"c.path"},
	"state":     {"r.state"},
	"submitted": {"r.signed_at"},
}, Default: "period", DefaultDesc: true, Tie: "r.id"}

// RunReportPage lists a page of the reports v sees — his court's, in any
// state, and those submitted by the courts below — and counts them.
func (db *DB) RunReportPage(ctx context.Context, v domain.Viewer, f RunReportFilter) ([]*RunReport, PageInfo, error) {
	if !report.Reads(v) {
		return nil, PageInfo{}, domain.Errorf(domain.ErrForbidden, "运行情况报告供执行局、派驻纪检监察组和监察室查看。")
	}
	own, below := "r.court_id = ?", "(c.path LIKE CAST(? AS TEXT) ESCAPE '\\' AND c.path <> ? AND r.state <> 'draft')"
	cond, args := "("+own+" OR "+below+")", []any{v.CourtID, likePrefix(v.CourtPath), v.CourtPath}
	switch {
	case f.Own && !f.Below:
		cond, args = own, []any{v.CourtID}
	case f.Below && !f.Own:
		cond, args = below, []any{likePrefix(v.CourtPath), v.CourtPath}
	}
	if f.Kind != "" {
		cond, args = cond+" AND r.period_kind = ?", append(args, string(f.Kind))
	}
	return listPage(ctx, db, scanRunReport, runReportColumns, runReportFrom, cond, args, f.Page, RunReportSorts, "reports")
}

// CreateRunReport drafts the report of v's court for p in a transaction
// of its own and returns its id; if the court has one for p already, its
// id and false.
func (db *DB) CreateRunReport(ctx context.Context, v domain.Viewer, p overview.Period) (int64, bool, error) {
	var created bool
	id, err := inTx(ctx, db, v, func(tx *Tx) (int64, error) {
		var err error
		var id int64
		id, created, err = tx.CreateRunReport(ctx, p)
		return id, err
	})
	return id, created, err
}

// CreateRunReport drafts, for tx's viewer (of the court's 执行局 or 派驻纪检
// 监察组), the report of his court for p: a period that has begun. A
// court has one report per period: asked again, it returns the one there
// is, and false.
func (tx *Tx) CreateRunReport(ctx context.Context, p overview.Period) (int64, bool, error) {
	v := tx.v
	if !report.CanDraft(v) {
		return 0, false, domain.Errorf(domain.ErrForbidden, "运行情况报告由本院执行局、派驻纪检监察组起草。")
	}
	if err := report.CheckPeriod(p, tx.db.today()); err != nil {
		return 0, false, err
	}
	now := tx.db.now()
	var id int64
	err := tx.queryRow(ctx, `INSERT INTO run_reports (court_id, period, period_kind, period_from, period_to, created_by, created_at, updated_by, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (court_id, period) DO NOTHING RETURNING id`,
		v.CourtID, p.String(), string(p.Kind), p.From.String(), p.To.String(), personName(v), now, personName(v), now).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		err = tx.queryRow(ctx, "SELECT id FROM run_reports WHERE court_id = ? AND period = ?", v.CourtID, p.String()).Scan(&id)
		return id, false, translate(err)
	}
	if err != nil {
		return 0, false, fmt.Errorf("drafting a report: %w", translate(err))
	}
	return id, true, tx.Audit(ctx, Entry{Action: "report.create", ObjectType: "run_report", ObjectID: fmt.Sprint(id), CourtPath: v.CourtPath,
		Success: true, Detail: p.Label()})
}

// personName is how a report records who acted: the person's name.
func personName(v domain.Viewer) string {
	if v.Name != "" {
		return v.Name
	}
	return actorName(v)
}

// SaveRunReport saves the narrative of report id in a transaction of its
// own.
func (db *DB) SaveRunReport(ctx context.Context, v domain.Viewer, id int64, n report.Narrative) error {
	return db.Update(ctx, v, func(tx *Tx) error { return tx.SaveRunReport(ctx, id, n) })
}

// SaveRunReport saves, for tx's viewer, the narrative of an open report
// of his court.
func (tx *Tx) SaveRunReport(ctx context.Context, id int64, n report.Narrative) error {
	r, err := tx.runReportAllows(ctx, id, report.Edit)
	if err != nil {
		return err
	}
	if err := n.Validate(false); err != nil {
		return err
	}
	b, _ := json.Marshal(n.Clean())
	res, err := tx.exec(ctx, "UPDATE run_reports SET narrative = ?, updated_by = ?, updated_at = ? WHERE id = ? AND state IN ('draft', 'returned')",
		string(b), personName(tx.v), tx.db.now(), id)
	if err != nil {
		return fmt.Errorf("saving a report: %w", err)
	}
	if k, _ := res.RowsAffected(); k == 0 {
		return domain.Errorf(domain.ErrConflict, "报告已报送，不能修改。")
	}
	return tx.Audit(ctx, Entry{Action: "report.edit", ObjectType: "run_report", ObjectID: fmt.Sprint(id), CourtPath: r.CourtPath, Success: true})
}

// SubmitRunReport submits report id to the court above: its content is
// computed, frozen and signed, in a transaction of its own.
func (db *DB) SubmitRunReport(ctx context.Context, v domain.Viewer, id int64, t overview.Targets) error {
	r, err := runReportRow(ctx, db, id)
	if err != nil {
		return err
	}
	if err := report.Check(report.Submit, v, r.Subject()); err != nil {
		return err
	}
	if err := report.CheckSubmitPeriod(r.Period, db.today()); err != nil {
		return err
	}
	// The figures are counted before the transaction, on the read pool;
	// the narrative is read again inside it, and the state checked there.
	d, err := db.runReportData(ctx, r.CourtID, r.Period)
	if err != nil {
		return err
	}
	return db.Update(ctx, v, func(tx *Tx) error { return tx.submitRunReport(ctx, id, d, t) })
}

// submitRunReport freezes report id with the figures d and the narrative
// it holds now, signed by tx's viewer, and tells the court above.
func (tx *Tx) submitRunReport(ctx context.Context, id int64, d *runReportData, t overview.Targets) error {
	v := tx.v
	if tx.db.Engine == Postgres {
		// The narrative read below is the one signed: no edit slips in
		// between (SQLite's one writer serialises this already).
		if _, err := tx.exec(ctx, "SELECT id FROM run_reports WHERE id = ? FOR UPDATE", id); err != nil {
			return fmt.Errorf("locking a report: %w", err)
		}
	}
	r, err := tx.runReportAllows(ctx, id, report.Submit)
	if err != nil {
		return err
	}
	if err := r.Narrative.Validate(true); err != nil {
		return err
	}
	content, err := report.Build(d.figures, t, d.problems, d.rect, r.Narrative).Canonical()
	if err != nil {
		return err
	}
	now := tx.db.now()
	sig, err := report.Sign(content, v.UserID, personName(v), now)
	if err != nil {
		return err
	}
	res, err := tx.exec(ctx, `UPDATE run_reports SET state = 'submitted', snapshot = ?, signer_id = ?, signer = ?, signed_at = ?, content_hash = ?,
		submissions = submissions + 1, updated_by = ?, updated_at = ? WHERE id = ? AND state IN ('draft', 'returned')`,
		string(content), sig.SignerID, sig.Signer, sig.At, sig.Hash, personName(v), now, id)
	if err != nil {
		return fmt.Errorf("submitting a report: %w", err)
	}
	if k, _ := res.RowsAffected(); k == 0 {
		return domain.Errorf(domain.ErrConflict, "报告已报送，不能重复报送。")
	}
	if parent := report.ParentPath(r.CourtPath); parent != "" {
		var above int64
		if err := tx.queryRow(ctx, "SELECT id FROM courts WHERE path = ?", parent).Scan(&above); err != nil {
			return fmt.Errorf("finding the court above: %w", translate(err))
		}
		if err := tx.notifyRunReport(ctx, above, r.CourtName+"报送了"+r.Period.Label()+"四项机制运行情况报告", fmt.Sprintf("/reports/%d", id)); err != nil {
			return err
		}
	}
	return tx.Audit(ctx, Entry{Action: "report.submit", ObjectType: "run_report", ObjectID: fmt.Sprint(id), CourtPath: r.CourtPath, Success: true,
		Detail: fmt.Sprintf("%s 第%d次报送 SHA-256 %s", r.Period.Label(), r.Submissions+1, sig.Hash[:16])})
}

// ReturnRunReport returns a submitted report to its court in a
// transaction of its own.
func (db *DB) ReturnRunReport(ctx context.Context, v domain.Viewer, id int64, reason string) error {
	return db.Update(ctx, v, func(tx *Tx) error { return tx.ReturnRunReport(ctx, id, reason) })
}

// ReturnRunReport returns, for tx's viewer of the court above, a
// submitted report with the reason: it is open again for its court to
// change and submit anew; its last frozen content stays on record until
// then.
func (tx *Tx) ReturnRunReport(ctx context.Context, id int64, reason string) error {
	r, err := tx.runReportAllows(ctx, id, report.Return)
	if err != nil {
		return err
	}
	reason, err = report.CheckReason(reason)
	if err != nil {
		return err
	}
	now := tx.db.now()
	res, err := tx.exec(ctx, `UPDATE run_reports SET state = 'returned', returned_by = ?, returned_at = ?, return_reason = ?, updated_by = ?, updated_at = ?
		WHERE id = ? AND state = 'submitted'`, personName(tx.v), now, reason, personName(tx.v), now, id)
	if err != nil {
		return fmt.Errorf("returning a report: %w", err)
	}
	if k, _ := res.RowsAffected(); k == 0 {
		return domain.Errorf(domain.ErrConflict, "只有已报送的报告可以退回。")
	}
	if err := tx.notifyRunReport(ctx, r.CourtID, "上级法院退回了本院"+r.Period.Label()+"四项机制运行情况报告，请修改后重新报送", fmt.Sprintf("/reports/%d", id)); err != nil {
		return err
	}
	return tx.Audit(ctx, Entry{Action: "report.return", ObjectType: "run_report", ObjectID: fmt.Sprint(id), CourtPath: r.CourtPath, Success: true, Detail: reason})
}

// notifyRunReport tells the co-leaders and liaisons of the 执行局 and the
// 派驻纪检监察组 of court — or, where none is appointed, every member of its
// 执行局 — about a report: a message in their message centre.
func (tx *Tx) notifyRunReport(ctx context.Context, court int64, title, link string) error {
	to, err := postHolders(ctx, tx, court, oversight.PostBureauLeader, oversight.PostBureauLiaison, oversight.PostDisciplineLeader, oversight.PostDisciplineLiaison)
	if err != nil {
		return err
	}
	if len(to) == 0 {
		to, err = collect(ctx, tx, scanID, `SELECT DISTINCT u.id FROM users u JOIN user_roles ur ON ur.user_id = u.id
			WHERE u.court_id = ? AND ur.role = ? AND NOT u.disabled ORDER BY u.id`, court, string(domain.RoleBureau))
		if err != nil {
			return fmt.Errorf("finding the bureau: %w", err)
		}
	}
	return tx.Notify(ctx, to, oversight.Notice{Kind: oversight.NoticeGeneral, Title: title, Link: link, CourtID: court})
}

// RunReportContent is what report r shows: its frozen snapshot while it
// stands submitted, else its content counted now with its narrative.
func (db *DB) RunReportContent(ctx context.Context, v domain.Viewer, r *RunReport, t overview.Targets) (*report.Snapshot, error) {
	if err := report.Check(report.Read, v, r.Subject()); err != nil {
		return nil, err
	}
	if r.Frozen() {
		return report.ReadSnapshot(r.Snapshot)
	}
	d, err := db.runReportData(ctx, r.CourtID, r.Period)
	if err != nil {
		return nil, err
	}
	return report.Build(d.figures, t, d.problems, d.rect, r.Narrative), nil
}

// RunReportPreview is the content of a report of v's court for p as it
// would be drafted now, before there is one.
func (db *DB) RunReportPreview(ctx context.Context, v domain.Viewer, p overview.Period, t overview.Targets) (*report.Snapshot, error) {
	if !report.CanDraft(v) {
		return nil, domain.Errorf(domain.ErrForbidden, "运行情况报告由本院执行局、派驻纪检监察组起草。")
	}
	d, err := db.runReportData(ctx, v.CourtID, p)
	if err != nil {
		return nil, err
	}
	return report.Build(d.figures, t, d.problems, d.rect, nil), nil
}

// minuteText writes a time as the pages do: Beijing time, to the minute;
// "" for none.
func minuteText(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(domain.Beijing).Format("2006-01-02 15:04")
}

// SignedText is when the report was last signed, to the minute.
func (r *RunReport) SignedText() string { return minuteText(r.Signature.At) }

// ReturnedText is when the report was last returned, to the minute.
func (r *RunReport) ReturnedText() string { return minuteText(r.ReturnedAt) }

// UpdatedText is when the report was last changed, to the minute.
func (r *RunReport) UpdatedText() string { return minuteText(r.UpdatedAt) }

// KindLabel is the report's kind: 月报, 季报 or 年报.
func (r *RunReport) KindLabel() string { return report.KindLabel(r.Period.Kind) }
