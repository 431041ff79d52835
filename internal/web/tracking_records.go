package web

import (
	"net/http"
	"strconv"

	"github.com/zhilian/zhilian/internal/domain"
	"github.com/zhilian/zhilian/internal/oversight"
	"github.com/zhilian/zhilian/internal/tracking"
	"github.com/zhilian/zhilian/internal/visit"
)

func (s *Server) trackWorkRecord(r *http.Request, rq *request, id int64) (string, error) {
	pf := r.PostFormValue
	on, err := formDate(r, "on")
	if err != nil {
		return "", err
	}
	rec := tracking.Record{On: on, Aspect: tracking.Aspect(pf("aspect")), Kind: tracking.RecordKind(pf("kind")), Content: pf("content"),
		Violation: pf("violation") == "1"}
	if _, err := s.DB.AddTrackingRecord(r.Context(), rq.viewer, id, rec); err != nil {
		return "", err
	}
	return "已添加跟踪记录。", nil
}

func (s *Server) trackWorkFinding(r *http.Request, rq *request, id int64) (string, error) {
	pf := r.PostFormValue
	d := tracking.FindingDecision{Node: domain.NodeKind(pf("node")), Decision: tracking.Decision(pf("decision")), Reason: pf("reason")}
	if _, err := s.DB.DecideTrackingNode(r.Context(), rq.viewer, id, d); err != nil {
		return "", err
	}
	return "已" + d.Decision.Label() + "流程节点问题。", nil
}

// trackWorkInterview reads 附件3's answers as the return-visit forms do:
// the printed answer number, the categories and items by code.
func (s *Server) trackWorkInterview(r *http.Request, rq *request, id int64) (string, error) {
	pf := r.PostFormValue
	on, err := formDate(r, "on")
	if err != nil {
		return "", err
	}
	party, _ := strconv.ParseInt(pf("party"), 10, 64)
	a := visit.Answers{Categories: r.PostForm["categories"], Items: r.PostForm["items"], Text: pf("party_text")}
	switch pf("answer") {
	case strconv.Itoa(visit.AnswerSatisfied):
		yes := true
		a.Satisfied = &yes
	case strconv.Itoa(visit.AnswerDissatisfied):
		no := false
		a.Satisfied = &no
	case strconv.Itoa(visit.AnswerNoReply):
	default:
		return "", domain.Invalid("answer", "请选择当事人对执行过程是否满意")
	}
	iv := tracking.Interview{On: on, Mode: tracking.Mode(pf("mode")), PartyID: party, Answers: a, Notes: pf("notes")}
	if _, err := s.DB.AddTrackingInterview(r.Context(), rq.viewer, id, iv); err != nil {
		return "", err
	}
	if iv.PointsToViolation() {
		return "已记录询问情况。当事人反映执行不廉或作风不正，请工作小组中纪检监察组、监察室的成员移交问题线索。", nil
	}
	return "已记录询问情况。", nil
}

func (s *Server) trackWorkVisit(r *http.Request, rq *request, id int64) (string, error) {
	party, _ := strconv.ParseInt(r.PostFormValue("visit_party"), 10, 64)
	n, err := s.DB.OrderTrackingVisit(r.Context(), rq.viewer, id, tracking.VisitOrder{PartyID: party, Reason: r.PostFormValue("visit_reason")})
	if err != nil {
		return "", err
	}
	if n.Merged > 0 {
		return "该当事人已有进行中的回访，重点回访理由已并入。", nil
	}
	return "已安排重点回访，由执行指挥中心办理。", nil
}

func (s *Server) trackWorkRecommend(r *http.Request, rq *request, id int64) (string, error) {
	pf := r.PostFormValue
	d, err := formDate(r, "deadline")
	if err != nil {
		return "", err
	}
	dept, _ := strconv.ParseInt(pf("department"), 10, 64)
	who, _ := strconv.ParseInt(pf("responsible"), 10, 64)
	rec := tracking.Recommendation{Suggestion: oversight.Suggestion{Problem: pf("problem"), Evidence: pf("evidence"), Improve: pf("improve"), Deadline: d},
		Aspect: tracking.Aspect(pf("aspect")), To: tracking.Addressee(pf("to")), DepartmentID: dept, Responsible: who}
	if _, _, err := s.DB.RecommendFromTracking(r.Context(), rq.viewer, id, rec); err != nil {
		return "", err
	}
	return "已提出意见建议，整改事项已建立。", nil
}
