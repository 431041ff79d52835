package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/trip"
)

// Traveller is a member of the court's staff who goes on a trip, the
// registering officer among them, and where his own 附件1 stands.
type Traveller struct {
	UserID     int64
	Name       string
	Department string
	// ReturnedOn is his return as his report gives it, once filed.
	ReturnedOn string
	// Reported is set once he filed 附件1 (the original); Late when it
	// was filed after its due date.
	Reported, Late bool
}

// travellersOf reads the travellers of trip id through q, the
// registering officer first.
func travellersOf(ctx context.Context, q querier, id int64) ([]Traveller, error) {
	out, err := collect(ctx, q, func(row scanner) (t Traveller, err error) {
		err = row.Scan(&t.UserID, &t.Name, &t.Department, &t.ReturnedOn, &t.Reported, &t.Late)
		return t, err
	}, `SELECT u.id, u.name, COALESCE(d.name, ''), COALESCE(tt.returned_on, ''),
		EXISTS (SELECT 1 FROM trip_reports r WHERE r.trip_id = tt.trip_id AND r.officer_id = tt.user_id AND r.kind = 'annex1' AND r.supplements IS NULL),
		EXISTS (SELECT 1 FROM trip_reports r WHERE r.trip_id = tt.trip_id AND r.officer_id = tt.user_id AND r.kind = 'annex1' AND r.supplements IS NULL AND r.late)
		FROM trip_travellers tt JOIN trips t ON t.id = tt.trip_id JOIN users u ON u.id = tt.user_id LEFT JOIN departments d ON d.id = u.department_id
		WHERE tt.trip_id = ? ORDER BY u.id <> t.officer_id, u.name, u.id`, id)
	if err != nil {
		return nil, fmt.Errorf("loading the trip's travellers: %w", err)
	}
	return out, nil
}

// travellerIDs are the ids of ts.
func travellerIDs(ts []Traveller) []int64 {
	ids := make([]int64, len(ts))
	for i, t := range ts {
		ids[i] = t.UserID
	}
	return ids
}

// staffByID reads the members of staff ids name, whatever their court:
// trip.CheckTravellers says who may go.
func staffByID(ctx context.Context, q querier, ids []int64) ([]trip.Traveller, error) {
	var out []trip.Traveller
	for _, id := range ids {
		var t trip.Traveller
		err := q.queryRow(ctx, "SELECT id, name, court_id, department_id, disabled FROM users WHERE id = ?", id).
			Scan(&t.ID, &t.Name, &t.CourtID, &t.DepartmentID, &t.Disabled)
		if err := translate(err); errors.Is(err, domain.ErrNotFound) {
			return nil, domain.Invalid("travellers", "所选同行人员不存在")
		} else if err != nil {
			return nil, err
		}
		roles, err := collect(ctx, q, scanString, "SELECT role FROM user_roles WHERE user_id = ? ORDER BY role", id)
		if err != nil {
			return nil, err
		}
		for _, r := range roles {
			t.Roles = append(t.Roles, domain.Role(r))
		}
		out = append(out, t)
	}
	return out, nil
}

// StaffMember is one of the court's staff who may go on a trip.
type StaffMember struct {
	ID               int64
	Name, Department string
}

// TripStaff lists whom v may take along on a trip: the active members of
// v's court who go out to enforce, v excepted, by department and name.
func (db *DB) TripStaff(ctx context.Context, v domain.Viewer) ([]StaffMember, error) {
	if !trip.CanRegister(v) || v.CourtID == 0 {
		return nil, domain.Errorf(domain.ErrForbidden, "只有执行人员可以登记外出执行。")
	}
	var marks []string
	args := []any{v.CourtID, v.UserID}
	for _, r := range []domain.Role{domain.RoleOfficer, domain.RoleDeptHead, domain.RoleBureau} {
		if trip.CanTravel([]domain.Role{r}) {
			marks, args = append(marks, "?"), append(args, string(r))
		}
	}
	out, err := collect(ctx, db, func(row scanner) (m StaffMember, err error) {
		err = row.Scan(&m.ID, &m.Name, &m.Department)
		return m, err
	}, `SELECT u.id, u.name, COALESCE(d.name, '') FROM users u LEFT JOIN departments d ON d.id = u.department_id
		WHERE u.court_id = ? AND NOT u.disabled AND u.id <> ?
		AND EXISTS (SELECT 1 FROM user_roles ur WHERE ur.user_id = u.id AND ur.role IN (`+strings.Join(marks, ", ")+`))
		ORDER BY u.department_id <> ?, d.name, u.name, u.id`, append(args, v.DepartmentID)...)
	if err != nil {
		return nil, fmt.Errorf("listing the court's staff: %w", err)
	}
	return out, nil
}

// TravellerNames joins the names of the travellers but the registering
// officer (本院同行人员).
func (t *Trip) TravellerNames() string {
	var names []string
	for _, x := range t.Travellers {
		if x.UserID != t.OfficerID {
			names = append(names, x.Name)
		}
	}
	return strings.Join(names, "、")
}

// Travels reports whether user id goes on the trip.
func (t *Trip) Travels(id int64) bool {
	return slices.ContainsFunc(t.Travellers, func(x Traveller) bool { return x.UserID == id })
}

// fillTravellers reads the travellers of ts through q, in one query.
func fillTravellers(ctx context.Context, q querier, ts []*Trip) error {
	if len(ts) == 0 {
		return nil
	}
	byID := map[int64]*Trip{}
	marks := make([]string, len(ts))
	args := make([]any, len(ts))
	for i, t := range ts {
		byID[t.ID], marks[i], args[i] = t, "?", t.ID
	}
	return each(ctx, q, func(row scanner) error {
		var id int64
		var x Traveller
		if err := row.Scan(&id, &x.UserID, &x.Name, &x.Department, &x.ReturnedOn, &x.Reported); err != nil {
			return err
		}
		byID[id].Travellers = append(byID[id].Travellers, x)
		return nil
	}, `SELECT tt.trip_id, u.id, u.name, COALESCE(d.name, ''), COALESCE(tt.returned_on, ''),
		EXISTS (SELECT 1 FROM trip_reports r WHERE r.trip_id = tt.trip_id AND r.officer_id = tt.user_id AND r.kind = 'annex1' AND r.supplements IS NULL)
		FROM trip_travellers tt JOIN trips t ON t.id = tt.trip_id JOIN users u ON u.id = tt.user_id LEFT JOIN departments d ON d.id = u.department_id
		WHERE tt.trip_id IN (`+strings.Join(marks, ", ")+`) ORDER BY tt.trip_id, u.id <> t.officer_id, u.name, u.id`, args...)
}
