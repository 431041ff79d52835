package synth

import (
	"math/rand/v2"
	"strings"

	"github.com/zhilian/zhilian/internal/domain"
)

// surnameTable spreads the common surnames over 1,000 slots by their
// frequency, so that a draw is one index.
var surnameTable = expand([]weighted[string]{
	{"王", 71}, {"李", 70}, {"张", 66}, {"刘", 54}, {"陈", 46}, {"杨", 31}, {"黄", 24}, {"赵", 23},
	{"吴", 20}, {"周", 19}, {"徐", 15}, {"孙", 15}, {"马", 13}, {"朱", 13}, {"胡", 12}, {"郭", 11},
	{"何", 11}, {"林", 10}, {"高", 10}, {"罗", 9}, {"郑", 8}, {"梁", 8}, {"谢", 7}, {"宋", 7},
	{"唐", 7}, {"许", 7}, {"韩", 6}, {"冯", 6}, {"邓", 6}, {"曹", 6}, {"彭", 6}, {"曾", 5},
	{"肖", 5}, {"田", 5}, {"董", 5}, {"袁", 4}, {"潘", 4}, {"于", 4}, {"蒋", 4}, {"蔡", 4},
	{"余", 4}, {"杜", 4}, {"叶", 4}, {"程", 4}, {"苏", 3}, {"魏", 3}, {"吕", 3}, {"丁", 3},
	{"任", 3}, {"沈", 3}, {"姚", 3}, {"卢", 3}, {"姜", 3}, {"崔", 3}, {"钟", 2}, {"谭", 2},
	{"陆", 2}, {"汪", 2}, {"范", 2}, {"金", 2}, {"石", 2}, {"廖", 2}, {"贾", 2}, {"夏", 2},
	{"付", 2}, {"方", 2}, {"白", 2}, {"邹", 2}, {"孟", 2}, {"熊", 2}, {"秦", 2}, {"邱", 2},
	{"江", 2}, {"尹", 2}, {"薛", 2}, {"闫", 2}, {"段", 2}, {"雷", 2}, {"侯", 1}, {"龙", 1},
	{"史", 1}, {"陶", 1}, {"贺", 1}, {"顾", 1}, {"毛", 1}, {"郝", 1}, {"邵", 1}, {"万", 1},
	{"钱", 1}, {"严", 1}, {"武", 1}, {"戴", 1}, {"孔", 1}, {"欧阳", 1}, {"司马", 1}, {"诸葛", 1},
}, 1000)

// expand repeats each value in proportion to its weight over n slots.
func expand(table []weighted[string], n int) []string {
	sum := 0.0
	for _, e := range table {
		sum += e.w
	}
	out := make([]string, 0, n)
	acc := 0.0
	for _, e := range table {
		acc += e.w
		for len(out) < int(acc/sum*float64(n)+0.5) {
			out = append(out, e.v)
		}
	}
	return out
}

// Characters of given names. None is one of the characters that end the
// names of organisations (厂, 店, 行, 司 …), so that a person is never
// taken for one.
var (
	givenMale   = splitRunes("伟强磊军洋勇杰涛明超刚平辉鹏飞浩宇轩博志国海东亮凯鑫健俊峰雷坤振兵德福成金荣昌永胜利民生祥瑞斌波宁文建华新春光庆松林晨")
	givenFemale = splitRunes("芳娜敏静丽艳娟霞英玉萍红欣怡涵雪婷琳颖玲燕晶丹梅兰凤秀慧佳悦璐倩薇蕾莉琴云美春")
	givenWhole  = []string{
		"建国", "建华", "志强", "秀英", "桂英", "秀兰", "海燕", "玉兰", "文静", "晓明",
		"子涵", "梓轩", "浩然", "欣怡", "俊杰", "国强", "建军", "红梅", "丽娟", "永刚",
		"淑珍", "桂兰", "德胜", "春生", "立新", "卫东", "文华", "晓燕", "金凤", "振华",
	}
)

func splitRunes(s string) []string {
	var out []string
	for _, r := range s {
		out = append(out, string(r))
	}
	return out
}

// personName draws a Chinese name of two or three characters (a compound
// surname takes a one-character given name).
func (g *Generator) personName() string { return string(g.appendPersonName(nil)) }

func (g *Generator) appendPersonName(b []byte) []byte {
	r := g.rng
	sur := surnameTable[r.IntN(len(surnameTable))]
	pool := givenMale
	if r.IntN(2) == 0 {
		pool = givenFemale
	}
	b = append(b, sur...)
	switch x := r.IntN(10); {
	case x < 3 || len(sur) > 3:
		return append(b, pool[r.IntN(len(pool))]...)
	case x < 5:
		return append(b, givenWhole[r.IntN(len(givenWhole))]...)
	default:
		b = append(b, pool[r.IntN(len(pool))]...)
		return append(b, pool[r.IntN(len(pool))]...)
	}
}

// Parts of organisation names. The trade names 字号 are made up, not those
// of real firms.
var (
	tradeNames = []string{
		"恒泰", "鑫源", "华通", "泰丰", "金鼎", "宏达", "盛世", "天元", "瑞丰", "永信",
		"中联", "福瑞", "汇金", "嘉禾", "德润", "海川", "兴隆", "润泽", "东方", "齐鲁",
		"万通", "宝丰", "众和", "诚信", "远大", "凯旋", "华宇", "鼎盛", "金诺", "恒达",
		"信和", "嘉诚", "同创", "聚源", "昌盛", "广源", "博远", "宏图", "佳和", "明德",
		"裕丰", "晟达", "锦程", "润丰", "金石", "天成", "祥和", "弘毅", "新纪元", "华信",
	}
	industries = []string{
		"商贸", "建筑工程", "房地产开发", "物流", "信息科技", "建材", "机械设备", "餐饮管理",
		"置业", "汽车销售服务", "农业发展", "食品", "化工", "纺织", "电子科技", "装饰工程",
		"劳务服务", "投资管理", "医药", "钢铁", "新能源科技", "印务", "环保科技", "物业管理",
		"文化传媒", "供应链管理", "家具", "石油化工", "水产", "工贸",
	}
	companyForms = []weighted[string]{
		{"有限公司", 0.70}, {"有限责任公司", 0.12}, {"股份有限公司", 0.08}, {"集团有限公司", 0.05}, {"经营部", 0.05},
	}
	banks = []string{
		"中国工商银行股份有限公司", "中国农业银行股份有限公司", "中国银行股份有限公司", "中国建设银行股份有限公司",
		"交通银行股份有限公司", "中国邮政储蓄银行股份有限公司", "招商银行股份有限公司", "兴业银行股份有限公司",
		"中信银行股份有限公司", "中国民生银行股份有限公司", "中国光大银行股份有限公司", "恒丰银行股份有限公司",
	}
	branchAreas = []string{"高新", "经济开发区", "城南", "城北", "东城", "西城", "中心", "新区"}
	agencies    = []string{
		"市自然资源和规划局", "市生态环境局", "市人力资源和社会保障局", "市市场监督管理局",
		"市住房和城乡建设局", "市城市管理局", "市医疗保障局", "市应急管理局",
	}
)

// appendOrgName draws the name of a firm or bank in or near city; lender
// favours banks and lending firms, as applicants are.
func (g *Generator) appendOrgName(b []byte, city string, lender bool) []byte {
	r := g.rng
	if r.IntN(5) == 0 {
		city = cities[r.IntN(len(cities))].name // a firm from elsewhere in the province
	}
	trade := tradeNames[r.IntN(len(tradeNames))]
	x := r.IntN(100)
	if !lender {
		x += 45 // respondents are firms, rarely banks
	}
	switch {
	case x < 22:
		b = append(append(b, banks[r.IntN(len(banks))]...), city...)
		if r.IntN(3) == 0 {
			return append(b, "分行"...)
		}
		return append(append(b, branchAreas[r.IntN(len(branchAreas))]...), "支行"...)
	case x < 30:
		return append(append(b, city...), "农村商业银行股份有限公司"...)
	case x < 38:
		return append(append(append(b, city...), trade...), "小额贷款股份有限公司"...)
	case x < 45:
		return append(append(append(b, city...), trade...), "融资担保有限公司"...)
	}
	form := companyForms[pick(r, companyForms)].v
	switch {
	case form == "经营部":
		b = append(append(b, city...), "市"...)
	case r.IntN(6) == 0:
		b = append(b, "山东"...)
	default:
		b = append(b, city...)
	}
	b = append(append(b, trade...), industries[r.IntN(len(industries))]...)
	return append(b, form...)
}

// appendAgencyName draws an administrative body that applies for
// non-litigation enforcement of its decision.
func (g *Generator) appendAgencyName(b []byte, city string) []byte {
	if g.rng.IntN(6) == 0 {
		return append(append(append(b, "国家税务总局"...), city...), "市税务局"...)
	}
	return append(append(b, city...), agencies[g.rng.IntN(len(agencies))]...)
}

// span is where a string lies in the case's text buffer; hi < 0 for none.
type span struct{ lo, hi int }

// parties adds one or two applicants and one to three respondents, in
// the space given. Their names and phones go to g.text; Next sets them
// once the case is complete.
func (g *Generator) parties(c *domain.Case, ct *courtState, parties *[maxParties]domain.Party) {
	r := g.rng
	na := 1
	if r.IntN(100) < 12 {
		na = 2
	}
	nr := 1
	switch x := r.IntN(100); {
	case x < 12:
		nr = 3
	case x < 38:
		nr = 2
	}
	c.Parties = parties[: na+nr : na+nr]
	for i := range na {
		p := &c.Parties[i]
		p.Role = domain.Applicant
		lo := len(g.text)
		switch {
		case c.NonLitigation && i == 0:
			p.Org, g.text = true, g.appendAgencyName(g.text, ct.city)
		case r.IntN(100) < 45:
			p.Org, g.text = true, g.appendOrgName(g.text, ct.city, true)
		default:
			g.text = g.appendPersonName(g.text)
		}
		g.names[i] = span{lo, len(g.text)}
		g.phone(i)
	}
	for i := range nr {
		p := &c.Parties[na+i]
		p.Role = domain.Respondent
		orgShare := 30
		if i > 0 {
			orgShare = 15 // guarantors are mostly people
		}
		lo := len(g.text)
		if r.IntN(100) < orgShare {
			p.Org, g.text = true, g.appendOrgName(g.text, ct.city, false)
		} else {
			g.text = g.appendPersonName(g.text)
		}
		g.names[na+i] = span{lo, len(g.text)}
		g.phone(na + i)
	}
}

// mobilePrefixes are the first three digits of mainland mobile numbers,
// the older China Mobile ranges repeated as they are the most common.
var mobilePrefixes = []string{
	"139", "139", "138", "138", "137", "136", "135", "134", "150", "151", "152", "157", "158", "159",
	"182", "183", "187", "188", "130", "131", "132", "155", "156", "185", "186", "186", "133", "153",
	"180", "181", "189", "177", "176", "173", "199", "166", "198", "191", "175", "178", "147", "195",
}

// phone gives party i a mobile number, or none: the number and then its
// masked form go to g.text.
func (g *Generator) phone(i int) {
	r := g.rng
	if r.Float64() < g.cfg.MissingPhoneShare {
		g.phones[i] = -1
		return
	}
	at := len(g.text)
	g.phones[i] = at
	g.text = append(g.text, mobilePrefixes[r.IntN(len(mobilePrefixes))]...)
	g.text = append(g.text, "00000000"...)
	n := r.Uint64N(100_000_000)
	for j := at + 10; j >= at+3; j-- {
		g.text[j] = byte('0' + n%10)
		n /= 10
	}
	g.text = append(g.text, g.text[at:at+3]...)
	g.text = append(g.text, "****"...)
	g.text = append(g.text, g.text[at+7:at+11]...)
}

// city is a prefecture-level city and the court code digits that stand
// for it.
type city struct{ code, name string }

// cities are Shandong's cities by the digits of their intermediate court;
// 71 and 72 are the railway and maritime courts.
var cities = []city{
	{"01", "济南"}, {"02", "青岛"}, {"03", "淄博"}, {"04", "枣庄"}, {"05", "东营"}, {"06", "烟台"},
	{"07", "潍坊"}, {"08", "济宁"}, {"09", "泰安"}, {"10", "威海"}, {"11", "日照"}, {"13", "临沂"},
	{"14", "德州"}, {"15", "聊城"}, {"16", "滨州"}, {"17", "菏泽"},
}

// cityOf returns the city of a Shandong court code (鲁0102 is in 济南); for
// other codes, one drawn at random.
func cityOf(code string, r *rand.Rand) string {
	if rest, ok := strings.CutPrefix(code, "鲁"); ok && len(rest) >= 2 {
		switch rest[:2] {
		case "71":
			return "济南"
		case "72":
			return "青岛"
		}
		for _, c := range cities {
			if c.code == rest[:2] {
				return c.name
			}
		}
	}
	return cities[r.IntN(len(cities))].name
}
