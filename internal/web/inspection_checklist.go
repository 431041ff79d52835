package web

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/inspection"
)

// blankChecklistRows is how many empty rows the checklist form offers for
// new items.
const blankChecklistRows = 3

type checklistForm struct {
	ID      int64
	Title   string
	Name    string
	Version int
	Items   []checklistRow
	Errors  map[string]string
}

// checklistRow is one item as the form holds it: text, so that a wrong
// number is shown back as typed.
type checklistRow struct {
	Title, Points, Deduction, Basis string
}

// inspectionChecklistEdit shows the campaign's frozen checklist for the
// group to edit in 筹备 (inspection.CanEdit); saving stores a new version.
func (s *Server) inspectionChecklistEdit(w http.ResponseWriter, r *http.Request, rq *request) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ctx := r.Context()
	in, err := s.DB.Inspection(ctx, rq.viewer, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !inspection.CanEdit(rq.viewer, in.Access()) {
		s.fail(w, r, domain.Errorf(domain.ErrForbidden, "只有工作组成员可以在筹备阶段修改评查表。"))
		return
	}
	f := checklistForm{ID: id, Title: in.Title, Name: in.ThemeText() + "评查表"}
	if in.ChecklistID != 0 {
		cl, err := s.DB.InspectionChecklist(ctx, rq.viewer, id)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		f.Name, f.Version = cl.Name, cl.Version
		for _, it := range cl.Items {
			f.Items = append(f.Items, checklistRow{Title: it.Title, Points: fmt.Sprint(it.Points), Deduction: it.Deduction, Basis: it.Basis})
		}
	}
	s.renderChecklistForm(w, r, http.StatusOK, f)
}

func (s *Server) renderChecklistForm(w http.ResponseWriter, r *http.Request, status int, f checklistForm) {
	for range blankChecklistRows {
		f.Items = append(f.Items, checklistRow{})
	}
	s.render(w, r, status, "inspection_checklist", &page{Title: "修改评查表", Data: f})
}

// inspectionChecklistSave stores the edited checklist as the template's
// next version and freezes it for the campaign; rows left empty are
// dropped.
func (s *Server) inspectionChecklistSave(w http.ResponseWriter, r *http.Request, rq *request) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := parseForm(w, r); err != nil {
		s.fail(w, r, err)
		return
	}
	pf := r.PostForm
	f := checklistForm{ID: id, Name: r.PostFormValue("name")}
	c := inspection.Checklist{Name: f.Name}
	bad := domain.FieldErrors{}
	for i, title := range pf["title"] {
		row := checklistRow{Title: title, Points: at(pf["points"], i), Deduction: at(pf["deduction"], i), Basis: at(pf["basis"], i)}
		if strings.TrimSpace(row.Title+row.Points+row.Deduction+row.Basis) == "" {
			continue
		}
		f.Items = append(f.Items, row)
		n := atoi(row.Points)
		if n == 0 && strings.TrimSpace(row.Points) != "0" {
			bad.Add("items", "第"+fmt.Sprint(len(f.Items))+"项的分值应为整数")
		}
		c.Items = append(c.Items, inspection.Item{Title: row.Title, Points: n, Deduction: row.Deduction, Basis: row.Basis})
	}
	err = bad.Err()
	var cid int64
	if err == nil {
		cid, err = s.DB.EditChecklist(r.Context(), rq.viewer, id, c)
	}
	if err != nil {
		if f.Errors = fieldErrors(err); f.Errors != nil {
			if in, err := s.DB.Inspection(r.Context(), rq.viewer, id); err == nil {
				f.Title = in.Title
			}
			s.renderChecklistForm(w, r, http.StatusUnprocessableEntity, f)
			return
		}
		s.fail(w, r, err)
		return
	}
	s.flash(w, r, fmt.Sprintf("已保存评查表新版本（编号%d），本次督察评查使用该版本。", cid))
	http.Redirect(w, r, fmt.Sprintf("/inspections/%d", id), http.StatusSeeOther)
}

// at is the i-th value of a repeated form field, or "".
func at(vs []string, i int) string {
	if i < len(vs) {
		return vs[i]
	}
	return ""
}
