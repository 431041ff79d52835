package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/tracking"
	"github.com/zhilian/zhilian/internal/visit"
)

// TrackingInterview is an interview of a party (询问案件当事人) with
// 附件3's answers, kept beside its record.
type TrackingInterview struct {
	RecordID  int64
	PartyID   int64
	PartyRole domain.PartyRole
	PartyName string
	Mode      tracking.Mode
	Answers   visit.Answers
	Notes     string
}

// loadInterviews fills w's interviews, by record.
func (db *DB) loadInterviews(ctx context.Context, w *TrackingWork) error {
	ivs, err := collect(ctx, db, func(row scanner) (iv TrackingInterview, err error) {
		var answer int
		var cats, items string
		err = row.Scan(&iv.RecordID, &iv.PartyID, &iv.PartyRole, &iv.PartyName, &iv.Mode, &answer, &cats, &items, &iv.Answers.Text, &iv.Notes)
		if answer != visit.AnswerNoReply {
			sat := answer == visit.AnswerSatisfied
			iv.Answers.Satisfied = &sat
		}
		iv.Answers.Categories, iv.Answers.Items = splitCodes(cats), splitCodes(items)
		return iv, err
	}, `SELECT i.record_id, i.party_id, i.party_role, i.party_name, i.mode, i.answer, i.categories, i.items, i.party_text, i.notes
		FROM tracking_interviews i JOIN tracking_records r ON r.id = i.record_id WHERE r.tracking_id = ? ORDER BY i.record_id`, w.ID)
	if err != nil {
		return fmt.Errorf("reading the tracking's interviews: %w", err)
	}
	for i := range ivs {
		w.Interviews[ivs[i].RecordID] = &ivs[i]
	}
	return nil
}

func splitCodes(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

// caseParties are the parties of case caseID: id, role and name.
func caseParties(ctx context.Context, q querier, caseID int64) ([]domain.Party, error) {
	ps, err := collect(ctx, q, func(row scanner) (p domain.Party, err error) {
		err = row.Scan(&p.ID, &p.Role, &p.Name)
		return p, err
	}, "SELECT id, role, name FROM parties WHERE case_id = ? ORDER BY position", caseID)
	if err != nil {
		return nil, fmt.Errorf("reading the case's parties: %w", err)
	}
	return ps, nil
}

func partyIDs(ps []domain.Party) []int64 {
	ids := make([]int64, len(ps))
	for i, p := range ps {
		ids[i] = p.ID
	}
	return ids
}

// AddTrackingInterview records an interview in a transaction of its own.
func (db *DB) AddTrackingInterview(ctx context.Context, v domain.Viewer, id int64, iv tracking.Interview) (int64, error) {
	return inTx(ctx, db, v, func(tx *Tx) (int64, error) { return tx.AddTrackingInterview(ctx, id, iv) })
}

// AddTrackingInterview has tx's viewer, a member of the working group
// (tracking.WorkInterview), record an interview of a party of tracking
// id's case: a record on the timeline (纪律作风 when the party reports
// 执行不廉或作风不正, which also marks it as pointing to a violation;
// otherwise 当事人和社会反响) and the answers beside it.
func (tx *Tx) AddTrackingInterview(ctx context.Context, id int64, iv tracking.Interview) (int64, error) {
	t, _, err := tx.workFor(ctx, id, tracking.WorkInterview)
	if err != nil {
		return 0, err
	}
	ps, err := caseParties(ctx, tx, t.CaseID)
	if err != nil {
		return 0, err
	}
	if err := iv.Validate(tx.db.today(), t.GroupFrom, partyIDs(ps)); err != nil {
		return 0, err
	}
	var party domain.Party
	for _, p := range ps {
		if p.ID == iv.PartyID {
			party = p
		}
	}
	r := tracking.Record{On: iv.On, Aspect: iv.Aspect(), Kind: tracking.RecordInterview, Content: iv.Summary(party.Role.Label() + party.Name),
		Violation: iv.PointsToViolation()}
	rid, err := tx.insertRecord(ctx, t, r, "", "")
	if err != nil {
		return 0, err
	}
	if _, err := tx.exec(ctx, `INSERT INTO tracking_interviews (record_id, party_id, party_role, party_name, mode, answer, categories, items, party_text, notes)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, rid, party.ID, party.Role, party.Name, iv.Mode, iv.Answers.Answer(),
		strings.Join(iv.Answers.Categories, ","), strings.Join(iv.Answers.Items, ","), iv.Answers.Text, iv.Notes); err != nil {
		return 0, fmt.Errorf("recording an interview: %w", translate(err))
	}
	return rid, nil
}

// OrderTrackingVisit orders a focused return visit in a transaction of
// its own.
func (db *DB) OrderTrackingVisit(ctx context.Context, v domain.Viewer, id int64, o tracking.VisitOrder) (FocusAdded, error) {
	return inTx(ctx, db, v, func(tx *Tx) (FocusAdded, error) { return tx.OrderTrackingVisit(ctx, id, o) })
}

// OrderTrackingVisit has tx's viewer, a member of the working group
// (tracking.WorkVisit), order a focused return visit (重点回访, reason
// visit.ReasonTracking) of a party of tracking id's case, which the
// command centre then makes as any focused visit: a party with a visit
// open keeps it and the reason joins it. The order is a record on the
// timeline (当事人和社会反响).
func (tx *Tx) OrderTrackingVisit(ctx context.Context, id int64, o tracking.VisitOrder) (FocusAdded, error) {
	t, _, err := tx.workFor(ctx, id, tracking.WorkVisit)
	if err != nil {
		return FocusAdded{}, err
	}
	ps, err := caseParties(ctx, tx, t.CaseID)
	if err != nil {
		return FocusAdded{}, err
	}
	var visited []int64
	for _, p := range ps {
		if p.Role == domain.Applicant || p.Role == domain.Respondent {
			visited = append(visited, p.ID)
		}
	}
	if err := o.Validate(visited); err != nil {
		return FocusAdded{}, err
	}
	n, err := tx.createVisits(ctx, t.CaseID, visitReason{kind: "focused", reason: visit.ReasonTracking, note: o.Reason, partyID: o.PartyID})
	if err != nil {
		return FocusAdded{}, err
	}
	var name string
	for _, p := range ps {
		if p.ID == o.PartyID {
			name = p.Role.Label() + p.Name
		}
	}
	r := tracking.Record{On: tx.db.today(), Aspect: tracking.AspectResponse, Kind: tracking.RecordVisit, Content: "安排对" + name + "重点回访：" + o.Reason}
	if _, err := tx.insertRecord(ctx, t, r, "", ""); err != nil {
		return FocusAdded{}, err
	}
	return FocusAdded{n.created, n.merged}, nil
}
