package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/inspection"
	"github.com/zhilian/zhilian/internal/visit"
)

// A case review draws its cases by the return visits' published rule
// (visit.Draw, visit.PopulationHash, visit.SeedCommitment, visit.Verify:
// population and its hash, committed seed, HMAC order), one stratum per
// court in scope: the cases of that court closed within the campaign's
// period, PerCourt of them. The rule is the same code, not a copy.

// InspectionDraw is one stratum of a campaign's draw: a court's cases,
// or, where the campaign stratifies per officer, one officer's cases at
// a court.
type InspectionDraw struct {
	CourtCode string `json:"court"`
	CourtName string `json:"court_name"`
	// OfficerKey names the officer's stratum ("user:<id>" or
	// "name:<name>"), "" for the whole court; Officer is his name.
	OfficerKey     string   `json:"officer_key,omitempty"`
	Officer        string   `json:"officer,omitempty"`
	Method         string   `json:"method"`
	Seed           string   `json:"seed"`
	Commitment     string   `json:"commitment"`
	PopulationHash string   `json:"population_hash"`
	Population     []string `json:"population"`
	Size           int      `json:"size"`
	Selected       []string `json:"selected"`
	DrawnBy        string   `json:"drawn_by"`
	DrawnAt        string   `json:"drawn_at"`
}

// DrawInspection draws campaign id's cases in a transaction of its own.
func (db *DB) DrawInspection(ctx context.Context, v domain.Viewer, id int64) (int, error) {
	return inTx(ctx, db, v, func(tx *Tx) (int, error) { return tx.DrawInspection(ctx, id) })
}

// DrawInspection has a member of case review id's group, in 筹备, draw its
// cases: per court in scope not drawn yet, a fresh seed, its commitment,
// the population and its hash are stored with the targets the rule
// selects. It returns how many cases it drew. Audited.
func (tx *Tx) DrawInspection(ctx context.Context, id int64) (int, error) {
	in, err := inspectionRow(ctx, tx, tx.v, id)
	if err != nil {
		return 0, err
	}
	if !tx.v.System && !inspection.CanEdit(tx.v, in.Access()) {
		return 0, domain.Errorf(domain.ErrForbidden, "只有工作组成员可以在筹备阶段抽取评查案件。")
	}
	if in.Kind != inspection.KindCaseReview {
		return 0, domain.Invalid("draw", "只有案件评查抽取案件")
	}
	if in.State != inspection.StatePrep {
		return 0, nil // drawn in 筹备 or never: a later call adds nothing
	}
	total := 0
	done := map[int64]bool{}
	for _, s := range in.Scope {
		if done[s.CourtID] {
			continue
		}
		done[s.CourtID] = true
		var n int
		if err := tx.queryRow(ctx, "SELECT COUNT(*) FROM inspection_draws WHERE campaign_id = ? AND court_id = ?", id, s.CourtID).Scan(&n); err != nil {
			return 0, translate(err)
		}
		if n > 0 {
			continue
		}
		rows, err := collect(ctx, tx, func(r scanner) (x drawCase, err error) {
			err = r.Scan(&x.id, &x.no, &x.dept, &x.officerID, &x.officer)
			return x, err
		}, `SELECT id, number, department, COALESCE(officer_id, 0), officer FROM cases WHERE court_id = ? AND closed_on >= ? AND closed_on <= ?`,
			s.CourtID, in.From, in.To)
		if err != nil {
			return 0, fmt.Errorf("reading the population: %w", err)
		}
		for _, st := range strata(rows, in.PerCourt, in.PerOfficer) {
			n, err := tx.drawStratum(ctx, id, s, st)
			if err != nil {
				return 0, err
			}
			total += n
		}
	}
	return total, nil
}

// drawCase is a case of a draw's population.
type drawCase struct {
	id, officerID     int64
	no, dept, officer string
}

// stratum is one part of a court's population drawn apart: the whole
// court (key ""), or one officer's cases.
type stratum struct {
	key, officer string
	size         int
	cases        []drawCase
}

// officerKey names the officer of case c for the strata: his account where
// the case is linked to one, else the name the case data gives.
func officerKey(c drawCase) string {
	if c.officerID != 0 {
		return fmt.Sprintf("user:%d", c.officerID)
	}
	return "name:" + c.officer
}

// strata splits a court's cases into what is drawn apart: the whole court,
// perCourt of it, or with perOfficer > 0 each officer's cases, perOfficer
// of each, in the order of their keys.
func strata(cases []drawCase, perCourt, perOfficer int) []stratum {
	if perOfficer <= 0 {
		return []stratum{{size: perCourt, cases: cases}}
	}
	by := map[string]*stratum{}
	var keys []string
	for _, c := range cases {
		k := officerKey(c)
		if by[k] == nil {
			by[k] = &stratum{key: k, officer: c.officer, size: perOfficer}
			keys = append(keys, k)
		}
		by[k].cases = append(by[k].cases, c)
	}
	slices.Sort(keys)
	out := make([]stratum, 0, len(keys))
	for _, k := range keys {
		out = append(out, *by[k])
	}
	return out
}

// drawStratum draws stratum st of court s for campaign id by the return
// visits' rule: a fresh seed, its commitment, the sorted population and its
// hash are stored with the targets the rule selects, each marked with the
// stratum. It returns how many it drew. Audited.
func (tx *Tx) drawStratum(ctx context.Context, id int64, s inspection.Scope, st stratum) (int, error) {
	pop := make([]string, len(st.cases))
	for i, c := range st.cases {
		pop[i] = c.no
	}
	slices.Sort(pop)
	seed := make([]byte, 32)
	if _, err := rand.Read(seed); err != nil {
		return 0, fmt.Errorf("drawing a seed: %w", err)
	}
	size := min(st.size, len(pop))
	picked := visit.Draw(seed, pop, size)
	if _, err := tx.exec(ctx, `INSERT INTO inspection_draws (campaign_id, court_id, officer_key, officer, method, seed, commitment, population, population_hash,
		size, drawn_by, drawn_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, id, s.CourtID, st.key, st.officer, visit.DrawMethod, hex.EncodeToString(seed),
		visit.SeedCommitment(seed), strings.Join(pop, "\n"), visit.PopulationHash(pop), size, actorName(tx.v), tx.db.now()); err != nil {
		return 0, fmt.Errorf("storing a draw: %w", translate(err))
	}
	for _, no := range picked {
		r := st.cases[slices.IndexFunc(st.cases, func(c drawCase) bool { return c.no == no })]
		if _, err := tx.exec(ctx, `INSERT INTO inspection_targets (campaign_id, court_id, case_id, case_no, department, officer_id, officer, how, stratum, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, 'drawn', ?, ?)`, id, s.CourtID, r.id, r.no, r.dept, nullID(r.officerID), r.officer, st.key, tx.db.now()); err != nil {
			return 0, fmt.Errorf("adding a drawn case: %w", err)
		}
	}
	what := s.CourtName
	if st.key != "" {
		what += "承办人" + st.officer
	}
	return len(picked), tx.Audit(ctx, Entry{Action: "inspection.draw", ObjectType: "inspection", ObjectID: fmt.Sprint(id), CourtPath: s.CourtPath, Success: true,
		Detail: fmt.Sprintf("%s：总体%d件（哈希%s），抽取%d件，种子承诺%s", what, len(pop), visit.PopulationHash(pop)[:12], len(picked), visit.SeedCommitment(seed)[:12])})
}

// InspectionDraws returns campaign id's draw, court by court, with the
// cases drawn, for whoever sees the whole campaign.
func (db *DB) InspectionDraws(ctx context.Context, v domain.Viewer, id int64) ([]InspectionDraw, error) {
	in, err := inspectionRow(ctx, db, v, id)
	if err != nil {
		return nil, err
	}
	if !in.Full {
		return nil, domain.Errorf(domain.ErrForbidden, "只有工作组和组织法院的执行局、纪检监察组、监察室可以查看抽取记录。")
	}
	type raw struct {
		InspectionDraw
		courtID int64
		pop     string
		at      time.Time
	}
	rs, err := collect(ctx, db, func(row scanner) (r raw, err error) {
		err = row.Scan(&r.courtID, &r.CourtCode, &r.CourtName, &r.OfficerKey, &r.Officer, &r.Method, &r.Seed, &r.Commitment, &r.pop, &r.PopulationHash, &r.Size, &r.DrawnBy, &r.at)
		return r, err
	}, `SELECT d.court_id, c.code, c.name, d.officer_key, d.officer, d.method, d.seed, d.commitment, d.population, d.population_hash, d.size, d.drawn_by,
		d.drawn_at FROM inspection_draws d JOIN courts c ON c.id = d.court_id WHERE d.campaign_id = ? ORDER BY c.path, d.officer_key`, id)
	if err != nil {
		return nil, fmt.Errorf("loading draws: %w", err)
	}
	out := make([]InspectionDraw, 0, len(rs))
	for _, r := range rs {
		d := r.InspectionDraw
		d.DrawnAt = r.at.UTC().Format(time.RFC3339)
		d.Population = []string{}
		if r.pop != "" {
			d.Population = strings.Split(r.pop, "\n")
		}
		d.Selected, err = collect(ctx, db, scanString, "SELECT case_no FROM inspection_targets WHERE campaign_id = ? AND court_id = ? AND how = 'drawn' AND stratum = ? ORDER BY id",
			id, r.courtID, r.OfficerKey)
		if err != nil {
			return nil, fmt.Errorf("loading drawn cases: %w", err)
		}
		if d.Selected == nil {
			d.Selected = []string{}
		}
		out = append(out, d)
	}
	return out, nil
}

// Stratum names the stratum: the court's code, and the officer's key
// where the draw is stratified per officer ("鲁0102/user:12").
func (d InspectionDraw) Stratum() string {
	if d.OfficerKey == "" {
		return d.CourtCode
	}
	return d.CourtCode + "/" + d.OfficerKey
}

// VerifyDraws recomputes every stratum of a draw and returns, per stratum
// (InspectionDraw.Stratum), nil or the *visit.VerifyError naming what does
// not match.
func VerifyDraws(ds []InspectionDraw) map[string]error {
	out := map[string]error{}
	for _, d := range ds {
		seed, err := hex.DecodeString(d.Seed)
		if err != nil || d.Method != visit.DrawMethod {
			out[d.Stratum()] = &visit.VerifyError{Mismatches: []visit.Mismatch{{Field: "commitment", Message: "随机种子或抽取方法无法识别"}}}
			continue
		}
		out[d.Stratum()] = visit.Verify(seed, d.Commitment, d.Population, d.PopulationHash, d.Size, d.Selected)
	}
	return out
}

// PickInspectionCase adds a case picked by the group in a transaction of
// its own.
func (db *DB) PickInspectionCase(ctx context.Context, v domain.Viewer, id int64, caseNo, reason string) error {
	return db.Update(ctx, v, func(tx *Tx) error { return tx.PickInspectionCase(ctx, id, caseNo, reason) })
}

// PickInspectionCase has a member of case review id's group, in 筹备, add
// a case of a court in scope that the draw did not take, with the reason
// for picking it. Audited.
func (tx *Tx) PickInspectionCase(ctx context.Context, id int64, caseNo, reason string) error {
	in, err := inspectionRow(ctx, tx, tx.v, id)
	if err != nil {
		return err
	}
	if !inspection.CanEdit(tx.v, in.Access()) {
		return domain.Errorf(domain.ErrForbidden, "只有工作组成员可以在筹备阶段选定评查案件。")
	}
	caseNo, reason = strings.TrimSpace(caseNo), strings.TrimSpace(reason)
	fe := domain.FieldErrors{}
	if reason == "" || utf8.RuneCountInString(reason) > 500 {
		fe.Add("reason", "请写明选定理由（500字以内）")
	}
	var caseID, courtID, officerID int64
	var dept, officer, path string
	err = tx.queryRow(ctx, `SELECT k.id, k.court_id, k.department, COALESCE(k.officer_id, 0), k.officer, c.path FROM cases k JOIN courts c ON c.id = k.court_id
		WHERE k.number = ?`, caseNo).Scan(&caseID, &courtID, &dept, &officerID, &officer, &path)
	switch {
	case errors.Is(translate(err), domain.ErrNotFound):
		fe.Add("case_no", "案号不存在")
	case err != nil:
		return translate(err)
	case !slices.ContainsFunc(in.Scope, func(s inspection.Scope) bool { return s.CourtID == courtID }):
		fe.Add("case_no", "该案件不属于督察评查范围内的法院")
	}
	if err := fe.Err(); err != nil {
		return err
	}
	var n int
	if err := tx.queryRow(ctx, "SELECT COUNT(*) FROM inspection_targets WHERE campaign_id = ? AND case_id = ?", id, caseID).Scan(&n); err != nil {
		return translate(err)
	}
	if n > 0 {
		return domain.Invalid("case_no", "该案件已在评查范围内")
	}
	if _, err := tx.exec(ctx, `INSERT INTO inspection_targets (campaign_id, court_id, case_id, case_no, department, officer_id, officer, how, reason, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, 'picked', ?, ?)`, id, courtID, caseID, caseNo, dept, nullID(officerID), officer, reason, tx.db.now()); err != nil {
		return fmt.Errorf("picking a case: %w", err)
	}
	return tx.Audit(ctx, Entry{Action: "inspection.pick", ObjectType: "inspection", ObjectID: fmt.Sprint(id), CourtPath: path, Success: true,
		Detail: fmt.Sprintf("选定评查案件%s：%s", caseNo, reason)})
}

// AddInspectionUnits adds, for a 专项督察 or 司法巡查 in 筹备, every court
// (and department) in scope as a unit to check, in a transaction of its
// own; it returns how many it added.
func (db *DB) AddInspectionUnits(ctx context.Context, v domain.Viewer, id int64) (int, error) {
	return inTx(ctx, db, v, func(tx *Tx) (int, error) {
		in, err := inspectionRow(ctx, tx, tx.v, id)
		if err != nil {
			return 0, err
		}
		if !inspection.CanEdit(tx.v, in.Access()) {
			return 0, domain.Errorf(domain.ErrForbidden, "只有工作组成员可以在筹备阶段确定督察对象。")
		}
		if in.Kind == inspection.KindCaseReview {
			return 0, domain.Invalid("units", "案件评查以案件为对象，请抽取案件")
		}
		n := 0
		for _, s := range in.Scope {
			var k int
			if err := tx.queryRow(ctx, "SELECT COUNT(*) FROM inspection_targets WHERE campaign_id = ? AND court_id = ? AND department = ? AND how = 'unit'",
				id, s.CourtID, s.Department).Scan(&k); err != nil {
				return 0, translate(err)
			}
			if k > 0 {
				continue
			}
			if _, err := tx.exec(ctx, "INSERT INTO inspection_targets (campaign_id, court_id, department, how, created_at) VALUES (?, ?, ?, 'unit', ?)",
				id, s.CourtID, s.Department, tx.db.now()); err != nil {
				return 0, fmt.Errorf("adding a unit: %w", err)
			}
			n++
		}
		return n, tx.Audit(ctx, Entry{Action: "inspection.units", ObjectType: "inspection", ObjectID: fmt.Sprint(id), CourtPath: in.OrganiserPath, Success: true,
			Detail: fmt.Sprintf("确定督察对象%d个", n)})
	})
}

// InspectionTarget is a case or unit a campaign checks.
type InspectionTarget struct {
	ID         int64
	CourtCode  string
	CourtName  string
	CaseNo     string
	Department string
	Officer    string
	How        string // drawn, picked, unit
	Reason     string
	Reviewer   string
	State      inspection.TargetState
	Score      int
	Grade      inspection.Grade
	ReviewerID int64
	Declared   bool
	Actions    []inspection.TargetAction // the viewer's steps on it now
}

// HowLabel names how the target came in.
func (t InspectionTarget) HowLabel() string {
	return map[string]string{"drawn": "随机抽取", "picked": "工作组选定", "unit": "督察对象"}[t.How]
}

// InspectionTargets lists campaign id's targets for whoever sees the whole
// campaign; the courts in scope and the officers see findings, not this.
func (db *DB) InspectionTargets(ctx context.Context, v domain.Viewer, id int64) ([]InspectionTarget, error) {
	in, err := inspectionRow(ctx, db, v, id)
	if err != nil {
		return nil, err
	}
	if !in.Full {
		return nil, nil
	}
	out, err := collect(ctx, db, func(row scanner) (t InspectionTarget, err error) {
		err = row.Scan(&t.ID, &t.CourtCode, &t.CourtName, &t.CaseNo, &t.Department, &t.Officer, &t.How, &t.Reason, &t.Reviewer, &t.State, &t.Score, &t.Grade,
			&t.ReviewerID, &t.Declared)
		t.Actions = inspection.TargetActions(v, in.Access(), inspection.Target{Reviewer: t.ReviewerID, Declared: t.Declared, State: t.State, Grade: t.Grade})
		return t, err
	}, `SELECT t.id, c.code, c.name, t.case_no, t.department, t.officer, t.how, t.reason, COALESCE(u.name, ''), t.state, t.score, t.grade,
		COALESCE(t.reviewer_id, 0), t.no_conflict <> ''
		FROM inspection_targets t JOIN courts c ON c.id = t.court_id LEFT JOIN users u ON u.id = t.reviewer_id
		WHERE t.campaign_id = ? ORDER BY c.path, t.id`, id)
	if err != nil {
		return nil, fmt.Errorf("listing inspection targets: %w", err)
	}
	return out, nil
}
