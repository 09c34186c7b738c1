package gen

import (
	"fmt"
	"strings"
)

var invoiceSpec = documentSpec{
	name:     "invoice_fields",
	document: "invoice",
	description: "Fields of short invoices written as formal invoices, e-mails or one-line summaries. " +
		"Dates appear in seven formats (day/month/year and month/day/year only with a stated convention) " +
		"and amounts in seven currency formats, including decimal commas.",
	fields: []extractionField{
		{"invoice_number", fieldText, "the invoice number or reference, exactly as written"},
		{"vendor", fieldText, "the company that issued the invoice"},
		{"customer", fieldText, "the company the invoice is addressed to"},
		{"invoice_date", fieldDate, "the date the invoice was issued"},
		{"due_date", fieldDate, "the date payment is due"},
		{"total", fieldAmount, "the total amount due, tax included"},
		{"currency", fieldText, "the currency of the total as a three-letter ISO 4217 code"},
	},
}

var receiptSpec = documentSpec{
	name:     "receipt_fields",
	document: "receipt",
	description: "Fields of shop and cafe receipts with item lines, cash or card payment lines and " +
		"times as distractors. Dates and amounts appear in varied formats.",
	fields: []extractionField{
		{"merchant", fieldText, "the name of the shop or cafe"},
		{"purchase_date", fieldDate, "the date of the purchase"},
		{"item_count", fieldNumber, "the number of items sold, as printed on the receipt"},
		{"total", fieldAmount, "the total paid"},
		{"currency", fieldText, "the currency of the total as a three-letter ISO 4217 code"},
	},
}

var orderEmailSpec = documentSpec{
	name:     "order_email_fields",
	document: "e-mail",
	description: "Fields of order confirmation and shipping e-mails: customer, order number, order and " +
		"delivery dates, and the order total. Dates and amounts appear in varied formats.",
	fields: []extractionField{
		{"customer_name", fieldText, "the full name of the customer the e-mail is addressed to"},
		{"order_number", fieldText, "the order number, exactly as written"},
		{"order_date", fieldDate, "the date the order was placed"},
		{"delivery_date", fieldDate, "the expected delivery date"},
		{"total", fieldAmount, "the order total, shipping included"},
		{"currency", fieldText, "the currency of the total as a three-letter ISO 4217 code"},
	},
}

var vendorNames = []string{
	"Kestrel Print Ltd", "Bramble & Finch Consulting", "Northgate Office Supply", "Tidewater Logistics",
	"Alder Software GmbH", "Copperleaf Catering", "Summit Scaffolding Co", "Bluefen Translation Services",
	"Marlow Electrical", "Quillon Design Studio", "Hartwell Cleaning Services", "Ostrava Glassworks",
}

var customerNames = []string{
	"Harbor Dental Clinic", "Pinecrest Academy", "Lumen Analytics", "Riverside Veterinary Group",
	"Ashby & Cole Solicitors", "Greystone Hotels", "Fernhill Brewing", "Meridian Architects",
	"Oakridge Council", "Sable Robotics", "Westmere Library Trust", "Calder Family Farms",
}

var invoiceServices = []string{
	"Printed brochures (A5)", "Consulting hours", "Toner cartridges", "Pallet delivery",
	"Software licence, annual", "Lunch catering for 20", "Scaffold hire, per week", "Document translation, per page",
	"Electrical safety inspection", "Logo design revision", "Office deep clean", "Tempered glass panels",
	"Network cabling", "Event signage",
}

var accountsContacts = []string{"Mira Salo", "Devon Price", "Ines Carvalho", "Tom Okonkwo", "Yuki Tanaka", "Greta Lind"}

func invoiceNumber(s *source, year int) string {
	switch s.intn(4) {
	case 0:
		return fmt.Sprintf("INV-%d-%04d", year, s.between(1, 9999))
	case 1:
		return fmt.Sprintf("%d", s.between(1000, 99999))
	case 2:
		return fmt.Sprintf("KP/%02d/%03d", year%100, s.between(1, 999))
	}
	return fmt.Sprintf("A%d-%03d", s.between(10, 99), s.between(1, 999))
}

func invoiceCases(s *source, n int) []extractionCase {
	layouts := []func(*source, *docValues) string{formalInvoice, emailInvoice, compactInvoice}
	var cases []extractionCase
	for i := 0; i < n; i++ {
		v := newDocValues(s)
		doc := layouts[i%len(layouts)](s, v)
		cases = append(cases, newExtractionCase(fmt.Sprintf("invoice-%02d", i+1), doc, v))
	}
	return cases
}

// invoiceFacts draws the values every invoice layout writes.
type invoiceFacts struct {
	number, vendor, customer, issued, due string
	lines                                 []lineItem
	subtotal, tax                         int64
	taxRate                               int
	total                                 string
}

func drawInvoice(s *source, v *docValues) invoiceFacts {
	issued := randomDate(s, v.dates)
	due := issued.AddDate(0, 0, pick(s, []int{14, 21, 30, 45, 60}))
	for v.dates.ambiguous() && (due.Day() > 12 || due.Day() == int(due.Month())) {
		due = due.AddDate(0, 0, 1)
	}

	f := invoiceFacts{
		number:   v.text("invoice_number", invoiceNumber(s, issued.Year())),
		vendor:   v.text("vendor", pick(s, vendorNames)),
		customer: v.text("customer", pick(s, customerNames)),
		issued:   v.date("invoice_date", issued),
		due:      v.date("due_date", due),
		lines:    v.prices(randomLines(s, invoiceServices, 1, 4, 1500, 95000)),
		taxRate:  pick(s, []int{5, 7, 10, 19, 20, 21}),
	}
	f.subtotal = sumLines(f.lines)
	f.tax = v.price(percentOf(f.subtotal, f.taxRate))
	f.total = v.amount("total", f.subtotal+f.tax)
	v.text("currency", v.amounts.currency)
	return f
}

func withNote(doc string, v *docValues) string {
	if v.dates.note == "" {
		return doc
	}
	return doc + "\n" + v.dates.note
}

func formalInvoice(s *source, v *docValues) string {
	f := drawInvoice(s, v)
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n%d %s Street\n\nINVOICE %s\nInvoice date: %s\nDue date: %s\nBill to: %s\n\n",
		f.vendor, s.between(2, 240), pick(s, []string{"Mill", "Harbour", "Station", "Elm", "Canal"}), f.number, f.issued, f.due, f.customer)
	for _, l := range f.lines {
		fmt.Fprintf(&b, "%s  x%d  @ %s  = %s\n", l.description, l.quantity, v.amounts.format(l.unitCents), v.amounts.format(l.cents()))
	}
	fmt.Fprintf(&b, "\nSubtotal: %s\nTax (%d%%): %s\nTotal due: %s\n", v.amounts.format(f.subtotal), f.taxRate, v.amounts.format(f.tax), f.total)
	return withNote(b.String(), v)
}

func emailInvoice(s *source, v *docValues) string {
	f := drawInvoice(s, v)
	var b strings.Builder
	fmt.Fprintf(&b, "Subject: Invoice %s from %s\n\nHello %s accounts team,\n\n", f.number, f.vendor, f.customer)
	fmt.Fprintf(&b, "Please find attached invoice %s for %d item(s) delivered recently. The invoice is dated %s, and payment of %s is due by %s. ",
		f.number, len(f.lines), f.issued, f.total, f.due)
	fmt.Fprintf(&b, "This total includes %s of tax at %d%% on a net amount of %s.\n\n", v.amounts.format(f.tax), f.taxRate, v.amounts.format(f.subtotal))
	fmt.Fprintf(&b, "Kind regards,\n%s\nAccounts, %s\n", pick(s, accountsContacts), f.vendor)
	return withNote(b.String(), v)
}

func compactInvoice(s *source, v *docValues) string {
	f := drawInvoice(s, v)
	var b strings.Builder
	fmt.Fprintf(&b, "Vendor: %s | Invoice #: %s | Issued: %s | Due: %s\nCustomer: %s\nLines:\n", f.vendor, f.number, f.issued, f.due, f.customer)
	for _, l := range f.lines {
		fmt.Fprintf(&b, "- %s, %d units, %s\n", l.description, l.quantity, v.amounts.format(l.cents()))
	}
	fmt.Fprintf(&b, "Net %s; tax %d%% %s; TOTAL %s\n", v.amounts.format(f.subtotal), f.taxRate, v.amounts.format(f.tax), f.total)
	return withNote(b.String(), v)
}

var shopNames = []string{
	"Corner Pantry", "Greenleaf Grocers", "Hobson Hardware", "Paperfold Stationers",
	"Little Fern Pharmacy", "Atlas Electronics", "Mill Lane Market", "Porter's Pet Supplies",
}

var cafeNames = []string{"Cafe Lumo", "The Copper Kettle", "Birchwood Bistro", "Saltmarsh Coffee House", "Noodle Bar Kaito"}

var shopGoods = []string{
	"Milk 1L", "Rye bread", "Batteries AA 4pk", "Notebook A4", "Hand soap", "Tomatoes 500g",
	"Screws M4 (50)", "Dog biscuits", "USB-C cable", "Olive oil 750ml", "Coffee beans 250g", "Masking tape",
}

var cafeDishes = []string{
	"Flat white", "Lentil soup", "Club sandwich", "Green tea", "Cheese scone", "Ramen bowl",
	"Orange juice", "Carrot cake", "Veggie burger", "Sparkling water",
}

func receiptCases(s *source, n int) []extractionCase {
	var cases []extractionCase
	for i := 0; i < n; i++ {
		v := newDocValues(s)
		var doc string
		if i%2 == 0 {
			doc = shopReceipt(s, v)
		} else {
			doc = cafeReceipt(s, v)
		}
		cases = append(cases, newExtractionCase(fmt.Sprintf("receipt-%02d", i+1), doc, v))
	}
	return cases
}

func countUnits(lines []lineItem) int {
	n := 0
	for _, l := range lines {
		n += l.quantity
	}
	return n
}

func paymentLines(s *source, v *docValues, total int64) string {
	if s.intn(2) == 0 {
		return fmt.Sprintf("Card payment  %s\nCard ending %04d\n", v.amounts.format(total), s.between(1, 9999))
	}
	tendered := (total/1000 + 1 + int64(s.intn(3))) * 1000
	return fmt.Sprintf("Cash  %s\nChange  %s\n", v.amounts.format(tendered), v.amounts.format(tendered-total))
}

func shopReceipt(s *source, v *docValues) string {
	merchant := v.text("merchant", pick(s, shopNames))
	date := v.date("purchase_date", randomDate(s, v.dates))
	lines := v.prices(randomLines(s, shopGoods, 2, 5, 85, 2495))
	for i := range lines {
		lines[i].quantity = s.between(1, 4)
	}
	total := sumLines(lines)

	var b strings.Builder
	fmt.Fprintf(&b, "%s\n%d High Street\n%s  %02d:%02d\n------------------------\n", merchant, s.between(1, 99), date, s.between(8, 20), s.between(0, 59))
	for _, l := range lines {
		fmt.Fprintf(&b, "%s  %d x %s  %s\n", l.description, l.quantity, v.amounts.format(l.unitCents), v.amounts.format(l.cents()))
	}
	fmt.Fprintf(&b, "------------------------\nTOTAL  %s\n", v.amount("total", total))
	b.WriteString(paymentLines(s, v, total))
	fmt.Fprintf(&b, "Items sold: %s\nThank you for shopping with us!\n", v.number("item_count", countUnits(lines)))
	v.text("currency", v.amounts.currency)
	return withNote(b.String(), v)
}

func cafeReceipt(s *source, v *docValues) string {
	merchant := v.text("merchant", pick(s, cafeNames))
	date := v.date("purchase_date", randomDate(s, v.dates))
	lines := v.prices(randomLines(s, cafeDishes, 2, 4, 250, 1850))
	for i := range lines {
		lines[i].quantity = s.between(1, 3)
	}
	subtotal := sumLines(lines)
	service := v.price(percentOf(subtotal, pick(s, []int{10, 12, 15})))
	total := subtotal + service

	var b strings.Builder
	fmt.Fprintf(&b, "%s, table %d\nDate: %s   Time: %02d:%02d\n\n", merchant, s.between(1, 30), date, s.between(11, 22), s.between(0, 59))
	for _, l := range lines {
		fmt.Fprintf(&b, "%d %s  %s\n", l.quantity, l.description, v.amounts.format(l.cents()))
	}
	fmt.Fprintf(&b, "\nSubtotal  %s\nService  %s\nTotal  %s\n", v.amounts.format(subtotal), v.amounts.format(service), v.amount("total", total))
	b.WriteString(paymentLines(s, v, total))
	fmt.Fprintf(&b, "Items: %s\n", v.number("item_count", countUnits(lines)))
	v.text("currency", v.amounts.currency)
	return withNote(b.String(), v)
}

var shopperNames = []string{
	"Nadia Okafor", "Lukas Brandt", "Sofia Marquez", "Arjun Mehta", "Hannah Kowalski", "Felix Moreau",
	"Aiko Suzuki", "Daniel Osei", "Clara Lindqvist", "Omar Haddad", "Beatriz Santos", "Pavel Novak",
}

var onlineShops = []string{"Fernway Outdoors", "Brightbox Electronics", "Hearth & Loom", "Pagecraft Books", "Velo Parts Direct"}

func orderEmailCases(s *source, n int) []extractionCase {
	var cases []extractionCase
	for i := 0; i < n; i++ {
		v := newDocValues(s)
		cases = append(cases, newExtractionCase(fmt.Sprintf("order-email-%02d", i+1), orderEmail(s, v, i%2 == 1), v))
	}
	return cases
}

func orderEmail(s *source, v *docValues, shipping bool) string {
	shop := pick(s, onlineShops)
	name := v.text("customer_name", pick(s, shopperNames))
	number := v.text("order_number", fmt.Sprintf("%s-%d", strings.ToUpper(shop[:2]), s.between(100000, 999999)))
	placed := randomDate(s, v.dates)
	arrives := placed.AddDate(0, 0, s.between(2, 12))
	for v.dates.ambiguous() && (arrives.Day() > 12 || arrives.Day() == int(arrives.Month())) {
		arrives = arrives.AddDate(0, 0, 1)
	}
	goods := v.price(int64(s.stepped(1500, 240000, 5)))
	postage := v.price(pick(s, []int64{0, 395, 499, 750, 1200}))
	ordered := v.date("order_date", placed)
	delivery := v.date("delivery_date", arrives)
	total := v.amount("total", goods+postage)
	v.text("currency", v.amounts.currency)

	var b strings.Builder
	if shipping {
		fmt.Fprintf(&b, "Subject: Your %s order %s has shipped\n\nDear %s,\n\n", shop, number, name)
		fmt.Fprintf(&b, "Good news: the parcel for the order you placed on %s is on its way. The courier expects to deliver it on %s. ", ordered, delivery)
		fmt.Fprintf(&b, "You paid %s in total, of which %s was for shipping.\n\n", total, v.amounts.format(postage))
	} else {
		fmt.Fprintf(&b, "Subject: Order confirmation %s\n\nHi %s,\n\n", number, name)
		fmt.Fprintf(&b, "Thank you for shopping at %s. We received your order on %s. Items: %s, shipping: %s, order total: %s. ",
			shop, ordered, v.amounts.format(goods), v.amounts.format(postage), total)
		fmt.Fprintf(&b, "Estimated delivery: %s.\n\n", delivery)
	}
	fmt.Fprintf(&b, "Best wishes,\nThe %s team\n", shop)
	return withNote(b.String(), v)
}
