package store

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/oversight"
	"github.com/zhilian/zhilian/internal/tracking"
)

// mech1Scope limits rows of mechanism 1 to what v may see (tracking.CanSee):
// courtCol (a court id; the query joins that court as c) is v's court, for
// the three bodies, or below it, for the watchdogs; and caseCol (a case id)
// is not a case v handles or handled, of v's department, or one whose
// complaints name v.
func mech1Scope(v domain.Viewer, courtCol, caseCol string) (string, []any, error) {
	if v.System {
		return "1=1", nil, nil
	}
	if !tracking.SeesTracking(v) || v.CourtPath == "" {
		return "", nil, domain.Errorf(domain.ErrForbidden, "您的角色无权查看重点案件跟踪。")
	}
	conds := []string{courtCol + " = ?"}
	args := []any{v.CourtID}
	if v.IsWatchdog() {
		conds = append(conds, "c.path LIKE CAST(? AS TEXT) ESCAPE '\\'")
		args = append(args, likePrefix(v.CourtPath))
	}
	return "(" + strings.Join(conds, " OR ") + `)
		AND NOT EXISTS (SELECT 1 FROM case_officers co WHERE co.case_id = ` + caseCol + ` AND co.user_id = ?)
		AND NOT EXISTS (SELECT 1 FROM cases ks WHERE ks.id = ` + caseCol + ` AND (ks.officer_id = ? OR ks.department_id = ?))
		AND NOT EXISTS (SELECT 1 FROM complaint_cases xc JOIN complaint_staff xs ON xs.complaint_id = xc.complaint_id
			WHERE xc.case_id = ` + caseCol + ` AND xs.user_id = ?)`,
		append(args, v.UserID, v.UserID, v.DepartmentID, v.UserID), nil
}

// Candidate is a case on a court's candidate list 重点执行案件: its open
// reasons and, once the bureau's procedure has begun, its open tracking.
type Candidate struct {
	CaseID     int64
	CaseNo     string
	CourtCode  string
	CourtName  string
	Officer    string
	Department string
	CaseClosed bool
	Reasons    []tracking.Reason
	Merged     []tracking.Merged
	// TrackingID is the case's open tracking (0: none yet), at Step.
	TrackingID     int64
	Step           tracking.Step
	CandidateSince domain.Date
}

// CandidateFilter selects candidates: Court is a court code (it and the
// courts below); Scope one scope.
type CandidateFilter struct {
	Court string
	Scope tracking.Scope
}

// Candidates lists the candidates v may see that match f, by case number,
// up to 5,000 reasons: the API's read. The page reads CandidatePage.
func (db *DB) Candidates(ctx context.Context, v domain.Viewer, f CandidateFilter) ([]*Candidate, error) {
	where, args, err := db.candidateCond(ctx, v, f)
	if err != nil {
		return nil, err
	}
	return db.candidateRows(ctx, where, args, " ORDER BY k.number, r.since_on, r.id LIMIT 5000")
}

// CandidateSorts are the orders of the candidate list, whose rows are
// cases (each with its reasons).
var CandidateSorts = Sorts{Keys: map[string][]string{
	"case":  {"k.number"},
	"court": {"c.path", "k.number"},
	"since": {"MIN(r.since_on)"},
}, Default: "case", Tie: "r.case_id"}

// CandidatePage is one page of the candidates v may see that match f: a
// page of cases, each with all its open reasons.
func (db *DB) CandidatePage(ctx context.Context, v domain.Viewer, f CandidateFilter, req PageReq) ([]*Candidate, PageInfo, error) {
	where, args, err := db.candidateCond(ctx, v, f)
	if err != nil {
		return nil, PageInfo{}, err
	}
	var total int
	if err := db.queryRow(ctx, "SELECT COUNT(DISTINCT r.case_id)"+candidateFrom+" WHERE "+where, args...).Scan(&total); err != nil {
		return nil, PageInfo{}, fmt.Errorf("counting candidates: %w", translate(err))
	}
	info := req.Clamp(total)
	order, key, desc := CandidateSorts.order(req)
	info.Sort, info.Desc = key, desc
	if total == 0 {
		return nil, info, nil
	}
	ids, err := collect(ctx, db, scanID, "SELECT r.case_id"+candidateFrom+" WHERE "+where+" GROUP BY r.case_id, k.number, c.path ORDER BY "+order+
		" LIMIT "+strconv.Itoa(info.Size)+" OFFSET "+strconv.Itoa((info.Page-1)*info.Size), args...)
	if err != nil {
		return nil, PageInfo{}, fmt.Errorf("paging candidates: %w", err)
	}
	if len(ids) == 0 {
		return nil, info, nil
	}
	idArgs := make([]any, len(ids))
	for i, id := range ids {
		idArgs[i] = id
	}
	got, err := db.candidateRows(ctx, where+" AND r.case_id IN ("+placeholders(len(ids))+")", append(args, idArgs...), " ORDER BY r.since_on, r.id")
	if err != nil {
		return nil, PageInfo{}, err
	}
	byID := make(map[int64]*Candidate, len(got))
	for _, c := range got {
		byID[c.CaseID] = c
	}
	out := make([]*Candidate, 0, len(ids))
	for _, id := range ids {
		if c := byID[id]; c != nil {
			out = append(out, c)
		}
	}
	return out, info, nil
}

const candidateFrom = ` FROM candidate_reasons r JOIN cases k ON k.id = r.case_id JOIN courts c ON c.id = r.court_id
		LEFT JOIN trackings t ON t.case_id = r.case_id AND t.state NOT IN ('not_tracked', 'closed', 'lapsed')`

// candidateCond is the condition on candidateFrom's rows that v may see
// and f selects.
func (db *DB) candidateCond(ctx context.Context, v domain.Viewer, f CandidateFilter) (string, []any, error) {
	scope, args, err := mech1Scope(v, "r.court_id", "r.case_id")
	if err != nil {
		return "", nil, err
	}
	where := []string{"r.ended_on IS NULL", scope}
	if f.Court != "" {
		c, err := courtByCode(ctx, db, f.Court)
		if err != nil {
			return "", nil, err
		}
		where, args = append(where, "c.path LIKE CAST(? AS TEXT) ESCAPE '\\'"), append(args, likePrefix(c.Path))
	}
	if f.Scope != "" {
		where = append(where, "EXISTS (SELECT 1 FROM candidate_reasons rs WHERE rs.case_id = r.case_id AND rs.ended_on IS NULL AND rs.scope = ?)")
		args = append(args, f.Scope)
	}
	return strings.Join(where, " AND "), args, nil
}

// candidateRows reads the reasons where finds, in order, grouped by case
// in the order each case first appears.
func (db *DB) candidateRows(ctx context.Context, where string, args []any, order string) ([]*Candidate, error) {
	type row struct {
		c Candidate
		r tracking.Reason
	}
	rows, err := collect(ctx, db, func(s scanner) (x row, err error) {
		var closed, since sqlNullDate
		var step string
		err = s.Scan(&x.c.CaseID, &x.c.CaseNo, &x.c.CourtCode, &x.c.CourtName, &x.c.Officer, &x.c.Department, &closed,
			&x.r.Scope, &x.r.Since, &x.r.Note, &x.r.Proposed, &x.r.AddedBy, &x.r.Role, &x.c.TrackingID, &step, &since)
		x.c.CaseClosed, x.c.Step, x.c.CandidateSince = closed.Valid && !closed.V.IsZero(), tracking.Step(step), since.V
		return x, err
	}, `SELECT r.case_id, k.number, c.code, c.name, k.officer, k.department, k.closed_on,
		r.scope, r.since_on, r.note, r.proposed, r.added_by, r.added_role, COALESCE(t.id, 0), COALESCE(t.state, ''), t.candidate_since`+
		candidateFrom+` WHERE `+where+order, args...)
	if err != nil {
		return nil, fmt.Errorf("listing candidates: %w", err)
	}
	var out []*Candidate
	byCase := map[int64]*Candidate{}
	for _, x := range rows {
		c := byCase[x.c.CaseID]
		if c == nil {
			c = &x.c
			byCase[c.CaseID] = c
			out = append(out, c)
		}
		c.Reasons = append(c.Reasons, x.r)
	}
	for _, c := range out {
		c.Merged = tracking.Merge(c.Reasons)
	}
	return out, nil
}

// CaseReasons returns every reason case caseID has had, open and ended,
// oldest first, if v may see the case's tracking matters; each with the
// day it ended (zero while it holds).
func (db *DB) CaseReasons(ctx context.Context, v domain.Viewer, caseID int64) ([]ReasonRow, error) {
	scope, args, err := mech1Scope(v, "r.court_id", "r.case_id")
	if err != nil {
		return nil, err
	}
	out, err := collect(ctx, db, func(s scanner) (x ReasonRow, err error) {
		var ended sqlNullDate
		err = s.Scan(&x.Scope, &x.Since, &x.Note, &x.Proposed, &x.AddedBy, &x.Role, &ended)
		x.Ended = ended.V
		return x, err
	}, `SELECT r.scope, r.since_on, r.note, r.proposed, r.added_by, r.added_role, r.ended_on
		FROM candidate_reasons r JOIN courts c ON c.id = r.court_id WHERE r.case_id = ? AND `+scope+" ORDER BY r.since_on, r.id",
		append([]any{caseID}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("reading the case's candidate reasons: %w", err)
	}
	return out, nil
}

// ReasonRow is a candidate reason with the day it stopped holding.
type ReasonRow struct {
	tracking.Reason
	Ended domain.Date
}

// wantReason is a reason the refresh finds holding.
type wantReason struct {
	caseID   int64
	scope    tracking.Scope
	key      string
	since    domain.Date
	note     string
	proposed bool
}

// RefreshResult counts what a refresh changed.
type RefreshResult struct {
	Added, Ended, Opened, Lapsed int
}

// RefreshCandidates recomputes the candidate reasons of the court at code
// in a transaction of its own.
func (db *DB) RefreshCandidates(ctx context.Context, v domain.Viewer, code string) (RefreshResult, error) {
	return inTx(ctx, db, v, func(tx *Tx) (RefreshResult, error) { return tx.RefreshCandidates(ctx, code) })
}

// RefreshCandidates recomputes the reasons that make the court's 执行实施
// cases (open, or closed within tracking.ClosedWithinDays) candidates:
// the two flags, each complaint assessed as having a clear lead, petitions
// meeting the strong-reaction rule, and, proposed by the system, each
// return visit that went on site with the party dissatisfied and each
// 不如实报告 trip review. A reason found anew is added since the day it
// began (a flag: since today, as the case does not date it); one no longer
// found is ended today; so the refresh may run any number of times. A
// case with reasons and no open tracking gets one, unless its last
// tracking ended after all its reasons began; a candidate no longer
// holding any reason lapses. Whoever sees the court's candidates may run
// it; audited.
func (tx *Tx) RefreshCandidates(ctx context.Context, code string) (RefreshResult, error) {
	var res RefreshResult
	c, err := courtByCode(ctx, tx, code)
	if errors.Is(err, domain.ErrNotFound) {
		return res, domain.Invalid("court", "法院不存在")
	} else if err != nil {
		return res, err
	}
	if !tracking.CanRefresh(tx.v, c.Path) {
		return res, domain.Errorf(domain.ErrForbidden, "您无权更新该院的重点案件候选名单。")
	}
	today := tx.db.today()
	want, eligible, err := tx.wantedReasons(ctx, c.ID, today)
	if err != nil {
		return res, err
	}
	type open struct {
		id     int64
		caseID int64
		key    string
	}
	have, err := collect(ctx, tx, func(s scanner) (o open, err error) {
		err = s.Scan(&o.id, &o.caseID, &o.key)
		return o, err
	}, "SELECT id, case_id, source_key FROM candidate_reasons WHERE court_id = ? AND ended_on IS NULL", c.ID)
	if err != nil {
		return res, fmt.Errorf("reading open candidate reasons: %w", err)
	}
	seen := map[string]bool{}
	for _, o := range have {
		k := fmt.Sprint(o.caseID, "|", o.key)
		manual := strings.HasPrefix(o.key, "manual:")
		if _, ok := want[k]; ok || (manual && eligible[o.caseID]) {
			seen[k] = true
			continue
		}
		if _, err := tx.exec(ctx, "UPDATE candidate_reasons SET ended_on = ? WHERE id = ?", today, o.id); err != nil {
			return res, fmt.Errorf("ending a candidate reason: %w", err)
		}
		res.Ended++
	}
	now := tx.db.now()
	for k, w := range want {
		if seen[k] {
			continue
		}
		if _, err := tx.exec(ctx, `INSERT INTO candidate_reasons (court_id, case_id, scope, source_key, proposed, note, since_on, added_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, c.ID, w.caseID, w.scope, w.key, w.proposed, w.note, w.since, "系统", now); err != nil {
			return res, fmt.Errorf("adding a candidate reason: %w", err)
		}
		res.Added++
	}
	if res.Opened, res.Lapsed, err = tx.settleTrackings(ctx, c.ID); err != nil {
		return res, err
	}
	if res == (RefreshResult{}) {
		return res, nil
	}
	return res, tx.Audit(ctx, Entry{Action: "tracking.refresh", ObjectType: "court", ObjectID: c.Code, CourtPath: c.Path, Success: true,
		Detail: fmt.Sprintf("更新重点执行案件候选：新增理由%d项，终止%d项，新列候选%d件，移出%d件", res.Added, res.Ended, res.Opened, res.Lapsed)})
}

// settleTrackings opens a tracking for each case of the court with open
// reasons and none open, unless its last tracking ended after its newest
// reason was found, and lapses the candidates left without reasons.
func (tx *Tx) settleTrackings(ctx context.Context, courtID int64) (opened, lapsed int, err error) {
	toOpen, err := collect(ctx, tx, scanID, `SELECT DISTINCT r.case_id FROM candidate_reasons r
		WHERE r.court_id = ? AND r.ended_on IS NULL
		AND NOT EXISTS (SELECT 1 FROM trackings t WHERE t.case_id = r.case_id AND t.state NOT IN ('not_tracked', 'closed', 'lapsed'))
		AND NOT EXISTS (SELECT 1 FROM trackings t WHERE t.case_id = r.case_id AND t.updated_at >= (
			SELECT MAX(r2.created_at) FROM candidate_reasons r2 WHERE r2.case_id = r.case_id AND r2.ended_on IS NULL))
		ORDER BY r.case_id`, courtID)
	if err != nil {
		return 0, 0, fmt.Errorf("finding new candidates: %w", err)
	}
	for _, id := range toOpen {
		if _, err := tx.OpenTracking(ctx, id, tx.db.today()); err != nil {
			return 0, 0, err
		}
	}
	toLapse, err := collect(ctx, tx, scanID, `SELECT t.id FROM trackings t WHERE t.court_id = ? AND t.state = 'candidate'
		AND NOT EXISTS (SELECT 1 FROM candidate_reasons r WHERE r.case_id = t.case_id AND r.ended_on IS NULL) ORDER BY t.id`, courtID)
	if err != nil {
		return 0, 0, fmt.Errorf("finding lapsed candidates: %w", err)
	}
	for _, id := range toLapse {
		if _, err := tx.moveTracking(ctx, id, tracking.Event{Kind: tracking.EventLapse}, nil); err != nil {
			return 0, 0, err
		}
	}
	return len(toOpen), len(toLapse), nil
}

// wantedReasons finds the reasons holding today for the court's eligible
// cases, by "caseID|source key", and which cases are eligible.
func (tx *Tx) wantedReasons(ctx context.Context, courtID int64, today domain.Date) (map[string]wantReason, map[int64]bool, error) {
	types := make([]any, 0, len(tracking.ImplementationTypes))
	for _, t := range tracking.ImplementationTypes {
		types = append(types, t)
	}
	eligibleCond := "k.court_id = ? AND k.type IN (" + placeholders(len(types)) + ") AND (k.closed_on IS NULL OR k.closed_on >= ?)"
	eargs := append(append([]any{courtID}, types...), today.AddDays(-tracking.ClosedWithinDays))
	want := map[string]wantReason{}
	add := func(w wantReason) {
		k := fmt.Sprint(w.caseID, "|", w.key)
		if old, ok := want[k]; !ok || w.since.Before(old.since) {
			want[k] = w
		}
	}
	eligible := map[int64]bool{}
	type flags struct {
		id             int64
		impact, public bool
	}
	fs, err := collect(ctx, tx, func(s scanner) (f flags, err error) {
		err = s.Scan(&f.id, &f.impact, &f.public)
		return f, err
	}, "SELECT k.id, k.social_impact, k.public_opinion FROM cases k WHERE "+eligibleCond, eargs...)
	if err != nil {
		return nil, nil, fmt.Errorf("reading the court's cases: %w", err)
	}
	for _, f := range fs {
		eligible[f.id] = true
		if f.impact {
			add(wantReason{caseID: f.id, scope: tracking.ScopeSocialImpact, key: "flag:social_impact", since: today})
		}
		if f.public {
			add(wantReason{caseID: f.id, scope: tracking.ScopePublicOpinion, key: "flag:public_opinion", since: today})
		}
	}
	type dated struct {
		caseID, id int64
		at         time.Time
		on         domain.Date
		level      oversight.Level
	}
	complaints, err := collect(ctx, tx, func(s scanner) (d dated, err error) {
		err = s.Scan(&d.caseID, &d.id, &d.at, &d.on)
		return d, err
	}, `SELECT k.id, m.id, m.assessed_at, m.received_on FROM complaints m JOIN complaint_cases x ON x.complaint_id = m.id JOIN cases k ON k.id = x.case_id
		WHERE m.kind = 'complaint' AND m.lead = 'clear' AND m.assessed_at IS NOT NULL AND `+eligibleCond, eargs...)
	if err != nil {
		return nil, nil, fmt.Errorf("reading complaints with a clear lead: %w", err)
	}
	for _, d := range complaints {
		add(wantReason{caseID: d.caseID, scope: tracking.ScopeComplaint, key: fmt.Sprint("complaint:", d.id),
			since: domain.DateOf(d.at, domain.Beijing), note: fmt.Sprintf("投诉举报（%s收到，经评估有明确线索）", d.on)})
	}
	petitions, err := collect(ctx, tx, func(s scanner) (d dated, err error) {
		err = s.Scan(&d.caseID, &d.on, &d.level)
		return d, err
	}, `SELECT k.id, m.received_on, m.level FROM complaints m JOIN complaint_cases x ON x.complaint_id = m.id JOIN cases k ON k.id = x.case_id
		WHERE m.kind = 'petition' AND `+eligibleCond+" ORDER BY k.id", eargs...)
	if err != nil {
		return nil, nil, fmt.Errorf("reading petitions: %w", err)
	}
	rule := tx.db.StrongRule
	if rule.Count == 0 {
		rule = oversight.DefaultStrongRule()
	}
	byCase := map[int64][]oversight.Petition{}
	for _, d := range petitions {
		byCase[d.caseID] = append(byCase[d.caseID], oversight.Petition{On: d.on, Level: d.level})
	}
	for id, ps := range byCase {
		if since, ok := tracking.StrongSince(rule, ps); ok {
			add(wantReason{caseID: id, scope: tracking.ScopePetition, key: "petitions", since: since, note: fmt.Sprintf("信访%d次", len(ps))})
		}
	}
	visits, err := collect(ctx, tx, func(s scanner) (d dated, err error) {
		err = s.Scan(&d.caseID, &d.id, &d.at)
		return d, err
	}, `SELECT k.id, vv.id, a.at FROM visits vv JOIN visit_answers a ON a.visit_id = vv.id AND a.satisfied = FALSE JOIN cases k ON k.id = vv.case_id
		WHERE vv.reached_onsite AND `+eligibleCond, eargs...)
	if err != nil {
		return nil, nil, fmt.Errorf("reading dissatisfied on-site visits: %w", err)
	}
	for _, d := range visits {
		add(wantReason{caseID: d.caseID, scope: tracking.ScopeOther, key: fmt.Sprint("visit:", d.id), proposed: true,
			since: domain.DateOf(d.at, domain.Beijing), note: "系统提示：当事人不满意，已转实地回访"})
	}
	reviews, err := collect(ctx, tx, func(s scanner) (d dated, err error) {
		err = s.Scan(&d.caseID, &d.id, &d.at)
		return d, err
	}, `SELECT DISTINCT k.id, rv.id, rv.opened_at FROM trip_reviews rv LEFT JOIN trip_reports tr ON tr.id = rv.report_id
		JOIN cases k ON k.id = tr.case_id OR k.id IN (SELECT tc.case_id FROM trip_cases tc WHERE tc.trip_id = COALESCE(rv.trip_id, tr.trip_id))
		WHERE rv.reason = 'contradicted' AND `+eligibleCond, eargs...)
	if err != nil {
		return nil, nil, fmt.Errorf("reading 不如实报告 trip reviews: %w", err)
	}
	for _, d := range reviews {
		add(wantReason{caseID: d.caseID, scope: tracking.ScopeOther, key: fmt.Sprint("trip_review:", d.id), proposed: true,
			since: domain.DateOf(d.at, domain.Beijing), note: "系统提示：外出执行报告与当事人反映不符（不如实报告）"})
	}
	return want, eligible, nil
}

// AddCandidateReason adds case number to the candidates of its court, for
// a reason a body gives (其他需要跟踪监督的案件), in a transaction of its
// own.
func (db *DB) AddCandidateReason(ctx context.Context, v domain.Viewer, number, note string) (int64, error) {
	return inTx(ctx, db, v, func(tx *Tx) (int64, error) { return tx.AddCandidateReason(ctx, number, note) })
}

// AddCandidateReason has tx's viewer, one of the three bodies of the
// case's court whom the case does not concern (tracking.CanAddReason), add
// a 执行实施 case to the candidates for the reason note, since today, and
// returns the case's open tracking (opened if need be). Audited.
func (tx *Tx) AddCandidateReason(ctx context.Context, number, note string) (int64, error) {
	var caseID, courtID, dept, officer int64
	var path, typ string
	var closed sqlNullDate
	err := tx.queryRow(ctx, `SELECT k.id, k.court_id, c.path, k.type, k.closed_on, COALESCE(k.department_id, 0), COALESCE(k.officer_id, 0)
		FROM cases k JOIN courts c ON c.id = k.court_id WHERE k.number = ?`, strings.TrimSpace(number)).
		Scan(&caseID, &courtID, &path, &typ, &closed, &dept, &officer)
	if errors.Is(translate(err), domain.ErrNotFound) {
		return 0, domain.Invalid("case", "案号不存在")
	} else if err != nil {
		return 0, fmt.Errorf("reading the case: %w", translate(err))
	}
	officers, err := collect(ctx, tx, scanID, "SELECT user_id FROM case_officers WHERE case_id = ?", caseID)
	if err != nil {
		return 0, fmt.Errorf("reading the case's officers: %w", err)
	}
	subj := tracking.Subject{CourtPath: path, Officers: append(officers, officer), DepartmentID: dept}
	if !tracking.CanAddReason(tx.v, subj) {
		return 0, domain.Errorf(domain.ErrForbidden, "只有案件所在法院的执行局、纪检监察组、监察室可以将案件列入重点案件候选。")
	}
	today := tx.db.today()
	if !tracking.Eligible(typ, closed.V, today) {
		return 0, domain.Invalid("case", "只有执行实施案件（未结或结案不满90日）可以列入重点案件候选")
	}
	if err := tracking.CheckAddedReason(note); err != nil {
		return 0, err
	}
	role := domain.RoleBureau
	for _, r := range tracking.Bodies() {
		if tx.v.Has(r) {
			role = r
			break
		}
	}
	now := tx.db.now()
	if _, err := tx.exec(ctx, `INSERT INTO candidate_reasons (court_id, case_id, scope, source_key, note, since_on, added_role, added_by, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, courtID, caseID, tracking.ScopeOther, fmt.Sprintf("manual:%d:%d", tx.v.UserID, now.UnixNano()),
		strings.TrimSpace(note), today, role, actorName(tx.v), now); err != nil {
		return 0, fmt.Errorf("adding a candidate reason: %w", err)
	}
	id, err := tx.OpenTracking(ctx, caseID, today)
	if err != nil {
		return 0, err
	}
	return id, tx.Audit(ctx, Entry{Action: "tracking.add_reason", ObjectType: "tracking", ObjectID: fmt.Sprint(id), CourtPath: path, Success: true,
		Detail: role.Label() + "列为重点执行案件候选（其他需要跟踪监督的案件）：" + strings.TrimSpace(note)})
}

// RefreshAllCandidates refreshes the candidates of every court that has
// cases, each court in a transaction of its own, as the program; it
// returns how many reasons it added and ended in all.
func (db *DB) RefreshAllCandidates(ctx context.Context) (RefreshResult, error) {
	var sum RefreshResult
	codes, err := collect(ctx, db, func(s scanner) (code string, err error) {
		err = s.Scan(&code)
		return code, err
	}, "SELECT c.code FROM courts c WHERE EXISTS (SELECT 1 FROM cases k WHERE k.court_id = c.id) ORDER BY c.path")
	if err != nil {
		return sum, fmt.Errorf("listing courts with cases: %w", err)
	}
	for _, code := range codes {
		r, err := db.RefreshCandidates(ctx, domain.SystemViewer("tracking_candidates"), code)
		if err != nil {
			return sum, fmt.Errorf("refreshing the candidates of %s: %w", code, err)
		}
		sum.Added, sum.Ended, sum.Opened, sum.Lapsed = sum.Added+r.Added, sum.Ended+r.Ended, sum.Opened+r.Opened, sum.Lapsed+r.Lapsed
	}
	return sum, nil
}
