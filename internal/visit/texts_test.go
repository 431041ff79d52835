package visit

import "testing"

// The messages parties read, pinned word for word.
func TestTexts(t *testing.T) {
	const court, no = "济南市历下区人民法院", "（2026）鲁0102执7号"
	for _, tt := range []struct {
		name, got, want string
	}{
		{"question", SMSText(MessageQuestion, court, no),
			"【济南市历下区人民法院】您好，这里是执行回访。您的案件（2026）鲁0102执7号，案件是否执行完毕，对案件执行过程是否满意？请回复：1 满意；2 不满意。"},
		{"ask again", SMSText(MessageAskAgain, court, no),
			"【济南市历下区人民法院】抱歉，未能识别您的回复。您的案件（2026）鲁0102执7号，案件是否执行完毕，对案件执行过程是否满意？请回复：1 满意；2 不满意。"},
		{"categories", SMSText(MessageCategories, court, no),
			"【济南市历下区人民法院】不满意的事项是哪些，请选择，可以选择多项：1 反映消极执行；2 反映执行错误；3 反映执行不廉或作风不正；4 反映外部非正常干预问题。请回复序号，如“1 3”。"},
		{"link", LinkSentence("https://zhilian.example.court", "●●●●●●"), "也可打开 https://zhilian.example.court/v/●●●●●● 填写反馈单。"},
		{"link, trailing slash", LinkSentence("https://zhilian.example.court/", "abc"), "也可打开 https://zhilian.example.court/v/abc 填写反馈单。"},
	} {
		if tt.got != tt.want {
			t.Errorf("%s:\n got %q\nwant %q", tt.name, tt.got, tt.want)
		}
	}
}
