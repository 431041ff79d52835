package trip

import (
	"testing"

	"github.com/zhilian/zhilian/internal/domain"
)

// The texts the trip reports send and list, word for word.
func TestTexts(t *testing.T) {
	texts := map[string]string{}
	for _, tp := range SMSTemplates() {
		if err := tp.Validate(tp.Default); err != nil {
			t.Errorf("%s: the default text fails its own check: %v", tp.Name, err)
		}
		texts[tp.Name] = tp.Default
	}
	sms := func(name string, vals map[string]string) string {
		return domain.Signed("历下区法院", domain.Render(texts[name], vals))
	}
	for _, c := range []struct{ got, want string }{
		{sms(TemplateReview, map[string]string{VarReason: ReviewReasons["yes"]}), "【历下区法院】执廉提醒：有一份外出执行情况报告需要审查（报告单有“有”项），请登录执廉系统查看待办。"},
		{sms(TemplateLate, map[string]string{VarDest: "北京", VarDue: "2026-11-02"}), "【历下区法院】执廉提醒：您赴北京的外出执行情况报告单已于2026-11-02到期未交，请尽快登录执廉系统填写。"},
		{sms(TemplateLateHead, map[string]string{VarDest: "北京"}), "【历下区法院】执廉提醒：本部门有外出执行情况报告单逾期未交（赴北京），请督促填写。"},
		{TodoTitle(TodoSupplement, "北京", ""), "如实补报外出执行情况报告单：北京"},
		{TodoTitle(TodoReport, "北京", ""), "填写外出执行情况报告单：北京"},
		{TodoTitle(TodoAnnex2, "（2026）鲁0102执1号", ""), "填写全程廉洁情况报告单：（2026）鲁0102执1号"},
		{TodoTitle(TodoRequirement, "张伟", "北京"), "提出纪律要求：张伟 赴北京"},
		{TodoTitle(TodoUrge, "张伟", "北京"), "督促提交外出报告：张伟 赴北京"},
		{TodoTitle(TodoHandleReview, "张伟", "contradicted"), "谈话提醒、批评教育（不如实报告）：张伟"},
		{TodoTitle(TodoHandleReview, "张伟", "annex2"), "处理外出报告（全程廉洁报告“未做到”）：张伟"},
		{TodoTitle(TodoExamineReview, "张伟", "yes"), "审查外出报告（报告单有“有”项）：张伟"},
	} {
		if c.got != c.want {
			t.Errorf("got  %s\nwant %s", c.got, c.want)
		}
	}
}
