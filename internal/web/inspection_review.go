package web

import (
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/inspection"
	"github.com/zhilian/zhilian/internal/store"
)

// targetID reads the {target} of the path.
func targetID(r *http.Request) (int64, error) {
	n, err := strconv.ParseInt(r.PathValue("target"), 10, 64)
	if err != nil || n <= 0 {
		return 0, domain.ErrNotFound
	}
	return n, nil
}

// inspectionSheet shows a target's review sheet to whoever sees the whole
// campaign, with the steps the viewer may take on it.
func (s *Server) inspectionSheet(w http.ResponseWriter, r *http.Request, rq *request) {
	s.renderSheet(w, r, rq, http.StatusOK, nil)
}

func (s *Server) renderSheet(w http.ResponseWriter, r *http.Request, rq *request, status int, errs map[string]string) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	tid, err := targetID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	in, err := s.DB.Inspection(r.Context(), rq.viewer, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	sh, err := s.DB.InspectionSheet(r.Context(), rq.viewer, id, tid)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	may := func(a string) bool { return inspection.Allows(sh.Actions, inspection.TargetAction(a)) }
	s.render(w, r, status, "inspection_sheet", &page{Title: "评查表", Data: map[string]any{"In": in, "S": sh, "Errors": errs, "May": may,
		"Categories": inspection.Categories, "Severities": inspection.Severities, "NoConflict": inspection.NoConflict}})
}

// inspectionTargetAct runs a step on a target and goes back to its sheet,
// or shows it again with the errors beside their fields.
func (s *Server) inspectionTargetAct(w http.ResponseWriter, r *http.Request, rq *request) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	tid, err := targetID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	act := r.PathValue("act")
	if act == "files" {
		err = s.inspectionUpload(r, rq, id, tid)
	} else if err = parseForm(w, r); err == nil {
		err = s.targetStep(r, rq, id, tid, act)
	}
	back := fmt.Sprintf("/inspections/%d/targets/%d", id, tid)
	if act == "assign" {
		back = fmt.Sprintf("/inspections/%d", id)
	}
	if err != nil {
		if fe := fieldErrors(err); fe != nil {
			if act == "assign" {
				s.renderInspection(w, r, rq, http.StatusUnprocessableEntity, fe)
			} else {
				s.renderSheet(w, r, rq, http.StatusUnprocessableEntity, fe)
			}
			return
		}
		s.fail(w, r, err)
		return
	}
	s.flash(w, r, "已办理。")
	http.Redirect(w, r, back, http.StatusSeeOther)
}

func (s *Server) targetStep(r *http.Request, rq *request, id, tid int64, act string) error {
	ctx, pf := r.Context(), r.PostFormValue
	switch act {
	case "assign":
		rev, _ := strconv.ParseInt(pf("reviewer"), 10, 64)
		return s.DB.AssignReviewer(ctx, rq.viewer, id, tid, rev)
	case "declare":
		return s.DB.DeclareNoConflict(ctx, rq.viewer, id, tid)
	case "sheet":
		n := atoi(pf("items"))
		if n < 0 || n > 200 {
			return domain.Invalid("marks", "请对评查表的每一项评分")
		}
		marks := make([]inspection.Mark, n)
		for i := range marks {
			d, err := strconv.Atoi(strings.TrimSpace(pf(fmt.Sprintf("deduction_%d", i))))
			if err != nil && strings.TrimSpace(pf(fmt.Sprintf("deduction_%d", i))) != "" {
				return domain.Invalid("marks", "扣分应为整数")
			}
			marks[i] = inspection.Mark{Deduction: d, Note: pf(fmt.Sprintf("note_%d", i)), Evidence: pf(fmt.Sprintf("evidence_%d", i))}
		}
		return s.DB.SaveSheet(ctx, rq.viewer, id, tid, marks, pf("onsite"), pf("submit") == "1")
	case "finding":
		_, err := s.DB.AddFinding(ctx, rq.viewer, id, tid, inspection.Finding{Category: pf("category"), Severity: inspection.Severity(pf("severity")),
			Text: pf("text")}, pf("about") != "court")
		return err
	case "recheck":
		return s.DB.RecheckSheet(ctx, rq.viewer, id, tid, pf("confirm") == "1", pf("recheck_note"))
	}
	return domain.ErrNotFound
}

// inspectionUpload keeps evidence with a target; nothing is kept before
// the viewer's right to the target is checked.
func (s *Server) inspectionUpload(r *http.Request, rq *request, id, tid int64) error {
	r.Body = http.MaxBytesReader(nil, r.Body, store.MaxAttachment+1<<20)
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		_, err := s.DB.AddTargetFile(r.Context(), rq.viewer, id, tid, "", nil)
		return err
	}
	f, h, err := r.FormFile("file")
	if err != nil {
		_, err := s.DB.AddTargetFile(r.Context(), rq.viewer, id, tid, "", nil)
		return err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, store.MaxAttachment+1))
	if err != nil {
		return domain.Invalid("file", "文件读取失败")
	}
	_, err = s.DB.AddTargetFile(r.Context(), rq.viewer, id, tid, h.Filename, data)
	return err
}

// inspectionFindingAct runs a step on a finding — the officer's answer,
// the leader's decision, the rectification or the clue that follows —
// and goes back to the campaign.
func (s *Server) inspectionFindingAct(w http.ResponseWriter, r *http.Request, rq *request) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	fid, err := strconv.ParseInt(r.PathValue("finding"), 10, 64)
	if err != nil || fid <= 0 {
		s.fail(w, r, domain.ErrNotFound)
		return
	}
	if err := parseForm(w, r); err != nil {
		s.fail(w, r, err)
		return
	}
	ctx, pf := r.Context(), r.PostFormValue
	var msg string
	switch inspection.FindingAction(r.PathValue("act")) {
	case inspection.ActAnswer:
		err, msg = s.DB.AnswerFinding(ctx, rq.viewer, id, fid, pf("answer")), "已提交说明、申辩。"
	case inspection.ActKeep:
		err, msg = s.DB.DecideInspectionFinding(ctx, rq.viewer, id, fid, true, pf("reason")), "已维持该问题。"
	case inspection.ActWithdraw:
		err, msg = s.DB.DecideInspectionFinding(ctx, rq.viewer, id, fid, false, pf("reason")), "已撤销该问题。"
	case inspection.ActRectify:
		var d domain.Date
		if d, err = domain.ParseDate(pf("deadline")); err != nil {
			err = domain.Invalid("deadline", "请填写整改期限（如 2026-01-31）")
		} else {
			_, err = s.DB.RectifyFinding(ctx, rq.viewer, id, fid, d, pf("task"))
		}
		msg = "已交办整改。"
	case inspection.ActClue:
		_, err = s.DB.ReferFinding(ctx, rq.viewer, id, fid, pf("summary"))
		msg = "已移送问题线索。"
	default:
		s.fail(w, r, domain.ErrNotFound)
		return
	}
	if err != nil {
		if fe := fieldErrors(err); fe != nil {
			s.renderInspection(w, r, rq, http.StatusUnprocessableEntity, fe)
			return
		}
		s.fail(w, r, err)
		return
	}
	s.flash(w, r, msg)
	http.Redirect(w, r, fmt.Sprintf("/inspections/%d#finding-%d", id, fid), http.StatusSeeOther)
}
