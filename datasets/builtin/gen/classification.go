package gen

import (
	"fmt"
	"strings"

	"github.com/quantbench/quantbench/datasets"
)

// labelledTexts holds hand-written texts for each label of a set, in label order.
type labelledTexts struct {
	label string
	texts []string
}

var supportIntentTexts = []labelledTexts{
	{"billing", []string{
		"Why does my March invoice show two charges for the same monthly plan?",
		"I'd like to change the card you bill each month to my new debit card.",
		"Can you send me a VAT invoice with our company address on it for last quarter?",
		"The price on my statement is higher than the plan I signed up for. What is the extra line item?",
		"Is it possible to switch from monthly to annual payments so we pay once a year?",
		"My payment failed this morning but the card has enough funds. How do I retry the charge?",
	}},
	{"shipping", []string{
		"My parcel was supposed to arrive on Tuesday and the tracking page hasn't updated in four days.",
		"Can I change the delivery address on an order that hasn't been dispatched yet?",
		"Do you deliver to the Canary Islands, and how long does it usually take?",
		"The courier left a note saying they couldn't deliver. How do I book a new delivery slot?",
		"The tracking number you emailed says it doesn't exist on the carrier's site.",
		"Is express delivery available if I order before noon today?",
	}},
	{"refund", []string{
		"I returned the blender two weeks ago and still haven't got my money back.",
		"The jacket arrived torn, so I want my money returned rather than a replacement.",
		"You charged me for a concert that was called off. When will I be paid back?",
		"I sent the shoes back within the 30-day window. Please put the amount back on my card.",
		"The course I paid for never started. I'd like a full reimbursement, please.",
		"Half of the order was missing, so please pay me back for the items that never came.",
	}},
	{"technical_issue", []string{
		"The app crashes every time I open the settings screen on my Android phone.",
		"Uploading a file larger than 10 MB fails with error code 502.",
		"Since the last update, notifications no longer appear on my laptop.",
		"The export to spreadsheet button does nothing when I click it in Firefox.",
		"Sync between my phone and tablet stopped working yesterday and my notes differ.",
		"The dashboard shows a blank white page after I apply a date filter.",
	}},
	{"account_access", []string{
		"I can't log in because the password reset email never arrives.",
		"My account is locked after too many sign-in attempts. How do I unlock it?",
		"I lost the phone with my two-factor codes and now I can't get into my account.",
		"Someone changed the email on my profile and I can no longer sign in.",
		"The login page keeps saying my username doesn't exist, but I've had an account for years.",
		"How do I recover access to my account if I no longer use the old email address?",
	}},
	{"cancellation", []string{
		"Please end my subscription when the current month runs out.",
		"I placed an order an hour ago by mistake. Can you stop it before it ships?",
		"How do I close my membership? I'm moving abroad and won't use it anymore.",
		"I don't want the premium plan to renew next month. Where do I turn that off?",
		"Please call off my table booking for Friday evening.",
		"We are shutting down our team workspace, so please terminate our contract.",
	}},
	{"product_question", []string{
		"Does the 65 W charger work with the older model of your laptop?",
		"Is the hiking boot waterproof, or only water resistant?",
		"What is the difference between the standard and pro versions of the software?",
		"Can the coffee machine make two cups at once?",
		"Which sizes does the linen shirt come in, and does it run small?",
		"Does your project tool support importing tasks from a CSV file?",
	}},
}

var documentTopicTexts = []labelledTexts{
	{"finance", []string{
		"The central bank held interest rates steady, citing slowing inflation and a cooling housing market.",
		"Shares of the retailer fell 8% after it cut its full-year profit forecast.",
		"Financial planners suggest keeping three to six months of expenses in an emergency fund.",
		"The company issued ten-year bonds at a yield slightly above government debt.",
		"Quarterly revenue rose 12%, but higher borrowing costs squeezed net income.",
		"A small pension contribution started early can outgrow a large one started late, thanks to compounding.",
		"The merger values the combined insurer at roughly 40 billion dollars including debt.",
		"Mortgage approvals dropped for the third month in a row as lenders tightened criteria.",
	}},
	{"sports", []string{
		"The home side scored twice in the final ten minutes to win the derby 3-2.",
		"She broke the national record in the 400 metres hurdles at the indoor championships.",
		"The veteran goalkeeper signed a one-year extension with the club.",
		"Rain delayed the final set, but the top seed held her serve to take the title.",
		"The cycling team lost two riders to crashes on the cobbled stage.",
		"After a perfect regular season, the basketball team was knocked out in the first playoff round.",
		"The coach rotated the squad heavily ahead of the cup semi-final.",
		"A late try in the corner gave the visitors their first away win of the rugby season.",
	}},
	{"health", []string{
		"Adults should aim for at least 150 minutes of moderate exercise each week, the guidelines say.",
		"A new trial found that the vaccine cut hospital admissions among older patients by half.",
		"Drinking enough water helps prevent headaches on long, hot days.",
		"Doctors warn that many people stop taking antibiotics too early once they feel better.",
		"The clinic now offers free blood pressure checks on Saturday mornings.",
		"Getting seven to nine hours of sleep is linked to a lower risk of heart disease.",
		"Seasonal flu cases rose sharply this month, filling emergency rooms across the region.",
		"A diet rich in fibre from beans and whole grains supports healthy digestion.",
	}},
	{"technology", []string{
		"The chipmaker unveiled a processor that doubles battery life in thin laptops.",
		"A security flaw in a popular router lets attackers read traffic on home networks.",
		"The phone maker will ship seven years of software updates for its new models.",
		"Developers can now run the open-source database directly in the browser.",
		"The startup trained a speech model that transcribes meetings in twelve languages.",
		"Cloud outages last week took down several streaming and banking apps for hours.",
		"The new operating system release drops support for 32-bit applications.",
		"Engineers demonstrated a solid-state battery that charges to 80% in ten minutes.",
	}},
	{"travel", []string{
		"The night train from Vienna to Venice now runs daily during the summer.",
		"Travellers should check passport validity rules before booking flights abroad.",
		"This coastal village is best explored on foot, with ferries to the nearby islands.",
		"Budget airlines added new routes to several smaller airports in southern Europe.",
		"The old town's guesthouses fill up quickly during the lantern festival, so book early.",
		"A three-day rail pass covers most regional lines and the airport express.",
		"Hikers can stay in mountain huts along the trail, but must reserve beds in advance.",
		"The city's museum pass includes free entry to twenty sites and unlimited tram rides.",
	}},
}

// interleave orders the texts label by label in turn, so that any prefix of
// the file is close to balanced.
func interleave(prefix string, sets []labelledTexts) []datasets.Item {
	var items []datasets.Item
	for i := 0; ; i++ {
		added := false
		for _, set := range sets {
			if i >= len(set.texts) {
				continue
			}
			added = true
			items = append(items, datasets.Item{
				ID:       fmt.Sprintf("%s-%s-%02d", prefix, strings.ReplaceAll(set.label, "_", "-"), i+1),
				Input:    map[string]string{"text": set.texts[i]},
				Expected: datasets.Expected{Label: set.label},
			})
		}
		if !added {
			return items
		}
	}
}

func labelsOf(sets []labelledTexts) []string {
	labels := make([]string, len(sets))
	for i, s := range sets {
		labels[i] = s.label
	}
	return labels
}

func classificationDatasets() []Dataset {
	intents := labelsOf(supportIntentTexts)
	topics := labelsOf(documentTopicTexts)
	return []Dataset{
		{
			Manifest: Manifest{
				Name:     "support_intent",
				Category: datasets.Classification,
				Description: "Customer support messages labelled with the customer's intent. " +
					"Hand-written, balanced across seven labels.",
				Template: "Classify the intent of this customer support message.\n\nMessage: {{.text}}\n\n" +
					"Answer with one label from: " + strings.Join(intents, ", ") + ". Reply with the label only.",
				NumPredict: 16,
				Labels:     intents,
			},
			Items: interleave("intent", supportIntentTexts),
		},
		{
			Manifest: Manifest{
				Name:     "document_topic",
				Category: datasets.Classification,
				Description: "One- or two-sentence news and guide snippets labelled with their topic. " +
					"Hand-written, balanced across five labels.",
				Template: "Classify the topic of this text.\n\nText: {{.text}}\n\n" +
					"Answer with one label from: " + strings.Join(topics, ", ") + ". Reply with the label only.",
				NumPredict: 16,
				Labels:     topics,
			},
			Items: interleave("topic", documentTopicTexts),
		},
	}
}
