package web

import (
	"encoding/json"
	"html/template"
	"slices"
)

// The provinces whose map the cockpit can draw, by the GB/T 2260 code of
// the province: a GeoJSON of its prefecture-level divisions, each feature's
// id the division's code. 370000 (山东省) is map/json/province/shandong.json
// of the npm package echarts 4.9.0 (Apache-2.0, see echarts.LICENSE.txt),
// taken as it is; ECharts 5 reads its compressed coordinates.
var provinceMaps = map[string]string{"370000": "map-370000.json"}

// mapMerged are the regions a map draws apart that have since been merged
// into a division: the map of 山东省 predates the State Council's merger of
// 莱芜市 (371200) into 济南市 (2019), whose court now covers it.
var mapMerged = map[string][]string{"370100": {"371200"}}

// overviewRegion is a court below on the province's map: the divisions it
// covers, coloured by its status, a click away from its own cockpit.
type overviewRegion struct {
	Divisions  []string `json:"divisions"`
	Court      string   `json:"court"`
	Status     string   `json:"status"`
	Label      string   `json:"label"`
	Attainment string   `json:"attainment"`
	Href       string   `json:"href"`
}

// overviewMap is the JSON the province's map (static/overview.js) draws:
// the map's address and the courts below placed on it; "" when the court
// viewed is no province with a map, or none of the courts below is a
// region of it.
func (s *Server) overviewMap(d *overviewData) (template.JS, error) {
	f := d.Figures
	if f == nil || !f.Subtree || len(f.Court.Divisions) != 1 {
		return "", nil
	}
	file, ok := provinceMaps[f.Court.Divisions[0]]
	if !ok {
		return "", nil
	}
	url, err := s.assets.url(file)
	if err != nil {
		return "", err
	}
	var regions []overviewRegion
	for _, c := range d.Children {
		// A court of one prefecture is its region; the special courts
		// (railway, maritime), whose territory is the province or spans
		// prefectures that are other courts' regions, stay in the table.
		if len(c.Court.Divisions) != 1 || c.Court.Divisions[0] == f.Court.Divisions[0] {
			continue
		}
		divs := append(slices.Clone(c.Court.Divisions), mapMerged[c.Court.Divisions[0]]...)
		regions = append(regions, overviewRegion{Divisions: divs, Court: c.Court.Name, Status: string(c.Status),
			Label: c.Status.Label(), Attainment: c.Attainment, Href: c.Href})
	}
	if len(regions) == 0 {
		return "", nil
	}
	js, err := json.Marshal(map[string]any{"url": url, "regions": regions})
	return template.JS(js), err
}
