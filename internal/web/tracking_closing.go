package web

import (
	"fmt"
	"net/http"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/tracking"
)

func (s *Server) trackWorkClose(r *http.Request, rq *request, id int64) (string, error) {
	on, err := formDate(r, "closed_on")
	if err != nil {
		return "", err
	}
	c := tracking.Closing{On: on, Summary: r.PostFormValue("summary"), Conclusions: r.PostFormValue("conclusions")}
	if err := s.DB.CloseTrackingWork(r.Context(), rq.viewer, id, c); err != nil {
		return "", err
	}
	return "已出具跟踪监督报告，跟踪结束。", nil
}

// trackWorkReport shows the closing report 跟踪监督报告 for printing on A4,
// as the rectification notices are printed: the report, the node
// findings with the group's decisions, the records pointing to a
// violation and their clues, and the recommendations with their state.
func (s *Server) trackWorkReport(w http.ResponseWriter, r *http.Request, rq *request) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	tw, err := s.DB.TrackingWork(r.Context(), rq.viewer, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if tw.Closing == nil {
		s.fail(w, r, domain.Errorf(domain.ErrNotFound, "尚未出具跟踪监督报告。"))
		return
	}
	patrol, err := s.DB.FindingsForCase(r.Context(), rq.viewer, tw.CaseID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "tracking_report", &page{Title: "跟踪监督报告", Data: map[string]any{
		"W": tw, "Back": fmt.Sprintf("/tracking/%d/work", id), "Closed": tw.Closing.On.Chinese(), "Patrol": patrol}})
}
