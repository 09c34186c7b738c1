package tco

import (
	"fmt"
	"math"
	"sort"
	"strings"
)

// Routing recommendations.
const (
	RouteLocal = "local"
	RouteAPI   = "api"
)

// PlanRoutes splits base's monthly volume over the categories in loads and
// recommends a route per category. A category goes local when its verdict
// is PASS and its API cost per year exceeds the first-year cost of the
// servers its volume needs (capex + 12 months of opex, without
// engineering), and to the API otherwise. With one server that is the
// break-even rule: volume above break-even. A category whose one-server
// break-even is above one server's capacity stays on the API, since more
// servers only multiply the cost.
//
// Shares are normalised to sum to 1; when every share is 0 the categories
// get equal shares. The plan's monthly costs put all local categories on
// shared servers: ceil(local volume / capacity) of them, or one when the
// capacity is unknown.
func PlanRoutes(base Inputs, loads []CategoryLoad) (Plan, error) {
	if err := base.Validate(); err != nil {
		return Plan{}, err
	}
	if base.Utilisation == 0 {
		base.Utilisation = DefaultUtilisation
	}
	var plan Plan
	shares, note, err := normaliseShares(loads)
	if err != nil {
		return Plan{}, err
	}
	if note != "" {
		plan.Notes = append(plan.Notes, note)
	}

	capacity, capacityKnown := CapacityPerServer(base.DocsPerHourPerServer, base.Utilisation)
	serverYear := ServerCostFirstYear(base)
	apiOnlyPerMonth := 0.0
	for i, load := range loads {
		route := routeCategory(base, load, shares[i], serverYear, capacity, capacityKnown)
		plan.Routes = append(plan.Routes, route)
		plan.AllAPIPerMonth += route.APICostPerMonth
		if route.Recommendation == RouteLocal {
			plan.LocalVolumePerMonth += route.VolumePerMonth
		} else {
			apiOnlyPerMonth += route.APICostPerMonth
		}
	}

	all, err := Compute(base)
	if err != nil {
		return Plan{}, err
	}
	plan.AllLocalPerMonthYear1 = all.LocalCostYear1 / 12
	plan.AllLocalPerMonthYear2 = all.LocalCostYear2 / 12

	year1, year2 := 0.0, 0.0
	if plan.LocalVolumePerMonth > 0 {
		plan.LocalServers = ServersNeeded(plan.LocalVolumePerMonth, capacity)
		year1, year2 = localPerMonth(base, plan.LocalServers)
	}
	plan.HybridPerMonthYear1 = apiOnlyPerMonth + year1
	plan.HybridPerMonthYear2 = apiOnlyPerMonth + year2

	if note := pooledNote(base, plan.Routes, serverYear, capacity); note != "" {
		plan.Notes = append(plan.Notes, note)
	}
	return plan, nil
}

// routeCategory prices one category and picks its route.
func routeCategory(base Inputs, load CategoryLoad, share, serverYear, capacity float64, capacityKnown bool) Route {
	route := Route{
		Category:       load.Category,
		Share:          share,
		VolumePerMonth: share * base.VolumePerMonth,
		Verdict:        load.Verdict,

		InputTokensPerDoc:  load.InputTokensPerDoc,
		OutputTokensPerDoc: load.OutputTokensPerDoc,
		APICostPerDoc:      APICostPerDoc(load.InputTokensPerDoc, load.OutputTokensPerDoc, base.APIInputPrice, base.APIOutputPrice),
	}
	route.APICostPerMonth = route.APICostPerDoc * route.VolumePerMonth
	route.Recommendation = RouteAPI

	route.Servers = ServersNeeded(route.VolumePerMonth, capacity)
	perYear, defined := BreakEvenDocsPerYear(serverYear, route.APICostPerDoc)
	if defined {
		perMonth := perYear / 12
		route.BreakEvenDocsPerMonth = &perMonth
	}
	switch {
	case load.Verdict != VerdictPass:
		verdict := load.Verdict
		if verdict == "" {
			verdict = "missing"
		}
		route.Reason = fmt.Sprintf("quality verdict is %s, not PASS", verdict)
	case !defined:
		route.Reason = "API cost per document is 0, so local cannot save money"
	case capacityKnown && *route.BreakEvenDocsPerMonth > capacity:
		route.Reason = fmt.Sprintf("break-even %s documents a month exceeds one server's capacity of %s",
			FormatCount(*route.BreakEvenDocsPerMonth), FormatCount(capacity))
	case route.VolumePerMonth <= float64(route.Servers)**route.BreakEvenDocsPerMonth:
		route.Reason = fmt.Sprintf("%s documents a month is not above the break-even of %s", FormatCount(route.VolumePerMonth), FormatCount(*route.BreakEvenDocsPerMonth))
		if route.Servers > 1 {
			route.Reason = fmt.Sprintf("%s documents a month need %d servers, whose break-even is %s",
				FormatCount(route.VolumePerMonth), route.Servers, FormatCount(float64(route.Servers)**route.BreakEvenDocsPerMonth))
		}
	default:
		route.Recommendation = RouteLocal
		route.Reason = fmt.Sprintf("quality passes and %s documents a month is above the break-even of %s",
			FormatCount(route.VolumePerMonth), FormatCount(float64(route.Servers)**route.BreakEvenDocsPerMonth))
		if route.Servers > 1 {
			route.Reason += fmt.Sprintf(" for its %d servers", route.Servers)
		}
	}
	return route
}

// normaliseShares returns the loads' shares scaled to sum to 1, or equal
// shares when every share is 0, with a note when it changed them.
func normaliseShares(loads []CategoryLoad) ([]float64, string, error) {
	shares := make([]float64, len(loads))
	total := 0.0
	for i, load := range loads {
		if math.IsNaN(load.Share) || math.IsInf(load.Share, 0) || load.Share < 0 {
			return nil, "", fmt.Errorf("invalid share %v for category %s: give a fraction of 0 or more", load.Share, load.Category)
		}
		shares[i] = load.Share
		total += load.Share
	}
	if len(loads) == 0 {
		return shares, "", nil
	}
	if total == 0 {
		for i := range shares {
			shares[i] = 1 / float64(len(loads))
		}
		return shares, fmt.Sprintf("No category shares given: the volume is split equally over %s.", countNoun(len(loads), "category", "categories")), nil
	}
	for i := range shares {
		shares[i] /= total
	}
	if math.Abs(total-1) > 1e-9 {
		return shares, fmt.Sprintf("Category shares added up to %.4g: scaled to add up to 1.", total), nil
	}
	return shares, "", nil
}

// localPerMonth returns the monthly cost of servers local servers in year 1
// (capex and engineering spread over 12 months) and from year 2.
func localPerMonth(base Inputs, servers int) (float64, float64) {
	n := float64(servers)
	opex := n * (base.PowerRackMonth + base.MaintenanceMonth)
	return (n*base.Capex + base.Engineering + 12*opex) / 12, opex
}

// pooledNote reports passing categories that each fall below break-even but
// together pay for a server, which the per-category rule does not route.
func pooledNote(base Inputs, routes []Route, serverYear, capacity float64) string {
	var names []string
	volume, apiPerYear := 0.0, 0.0
	for _, r := range routes {
		if r.Verdict == VerdictPass && r.Recommendation == RouteAPI && r.BreakEvenDocsPerMonth != nil {
			names = append(names, r.Category)
			volume += r.VolumePerMonth
			apiPerYear += 12 * r.APICostPerMonth
		}
	}
	if len(names) < 2 {
		return ""
	}
	servers := ServersNeeded(volume, capacity)
	if apiPerYear <= float64(servers)*serverYear {
		return ""
	}
	sort.Strings(names)
	return fmt.Sprintf("Categories %s each fall below break-even, but together they cost %s a year on the API, more than the %s a year of the %s they would need: consider routing them locally together.",
		strings.Join(names, ", "), FormatMoney(apiPerYear), FormatMoney(float64(servers)*serverYear), countNoun(servers, "server", "servers"))
}

// countNoun writes n with the singular or plural noun, as in "1 server".
func countNoun(n int, singular, plural string) string {
	if n == 1 {
		return "1 " + singular
	}
	return fmt.Sprintf("%d %s", n, plural)
}
