package store

import (
	"context"
	"fmt"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/overview"
)

// InspectionFilter narrows the campaign list as the cockpit's figures
// drill down (overviewInspections counts the same).
type InspectionFilter struct {
	// CourtPath narrows the list to a court and the courts below it: the
	// campaigns they organised, or with Graded the campaigns with review
	// sheets of their cases.
	CourtPath string
	// Period, unless zero, narrows the list to the campaigns whose period
	// meets it (评查活动), or with Graded to those with review sheets
	// submitted with a grade in it (评查等次).
	Period overview.Period
	Graded bool
	Page   PageReq
}

// What the cockpit's 督察评查活动 and 评查等次 count, as the list narrows
// to them: a campaign (alias i) whose period meets one (its last day, its
// first day), and a review sheet (alias g) graded and submitted in one
// (its first midnight, the next day's after its last).
const (
	campaignMeetsCond = "i.period_from <= ? AND i.period_to >= ?"
	gradedSheetCond   = "g.grade <> '' AND g.state IN ('submitted', 'rechecked') AND g.submitted_at >= ? AND g.submitted_at < ?"
)

// gradedSheet is the condition that review sheet g (of campaign i) is one
// the cockpit's 评查等次 counts for f: graded, submitted in the period, on
// a case of a court under CourtPath.
func (f InspectionFilter) gradedSheet() (string, []any) {
	cond, args := "g.campaign_id = i.id AND g.grade <> '' AND g.state IN ('submitted', 'rechecked')", []any(nil)
	if f.CourtPath != "" {
		cond += " AND g.court_id IN (SELECT id FROM courts WHERE path LIKE CAST(? AS TEXT) ESCAPE '\\')"
		args = append(args, likePrefix(f.CourtPath))
	}
	if f.Period != (overview.Period{}) {
		cond += " AND " + gradedSheetCond
		args = append(args, beijingMidnight(f.Period.From), beijingMidnight(f.Period.To.AddDays(1)))
	}
	return cond, args
}

// where is the condition of the campaigns v sees that f finds.
func (f InspectionFilter) where(v domain.Viewer) (string, []any) {
	cond, args := inspScope(v)
	if f.Graded {
		g, gargs := f.gradedSheet()
		return cond + " AND EXISTS (SELECT 1 FROM inspection_targets g WHERE " + g + ")", append(args, gargs...)
	}
	if f.CourtPath != "" {
		cond += " AND c.path LIKE CAST(? AS TEXT) ESCAPE '\\'"
		args = append(args, likePrefix(f.CourtPath))
	}
	if f.Period != (overview.Period{}) {
		cond += " AND " + campaignMeetsCond
		args = append(args, f.Period.To, f.Period.From)
	}
	return cond, args
}

// InspectionPageIn lists a page of the campaigns v sees that f finds, with
// the parts v may see, and how many there are; with f.Graded each
// campaign's Sheets are its review sheets f finds.
func (db *DB) InspectionPageIn(ctx context.Context, v domain.Viewer, f InspectionFilter) ([]*Inspection, PageInfo, error) {
	cond, args := f.where(v)
	out, info, err := listPage(ctx, db, scanInspection, inspColumns, inspFrom, cond, args, f.Page, InspectionSorts, "inspections")
	if err != nil {
		return nil, info, err
	}
	for _, in := range out {
		if err := loadInspectionParts(ctx, db, v, in); err != nil {
			return nil, info, err
		}
		if f.Graded {
			g, gargs := f.gradedSheet()
			err := db.queryRow(ctx, "SELECT COUNT(*) FROM inspection_targets g JOIN inspection_campaigns i ON i.id = g.campaign_id WHERE i.id = ? AND "+g,
				append([]any{in.ID}, gargs...)...).Scan(&in.Sheets)
			if err != nil {
				return nil, info, fmt.Errorf("counting review sheets: %w", translate(err))
			}
		}
	}
	return out, info, nil
}

// InspectionSheets counts the review sheets f finds (f.Graded) in the
// campaigns v sees: the cockpit's 评查等次, as the list shows it.
func (db *DB) InspectionSheets(ctx context.Context, v domain.Viewer, f InspectionFilter) (int, error) {
	scope, args := inspScope(v)
	g, gargs := f.gradedSheet()
	var n int
	err := db.queryRow(ctx, "SELECT COUNT(*) FROM inspection_targets g JOIN inspection_campaigns i ON i.id = g.campaign_id JOIN courts c ON c.id = i.court_id WHERE "+
		scope+" AND "+g, append(args, gargs...)...).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("counting review sheets: %w", translate(err))
	}
	return n, nil
}
