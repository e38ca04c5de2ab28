import json, hashlib, sys
J = {}
def j(names, typ, reason, amb=False):
    for n in names.split("|"):
        J[n] = (typ, reason, amb)
j("WN", "ORG", "'((WN))' marks the Wikinews interviewer: Wikinews, the outlet")
j("Microsoft|Google|Facebook|Apple|Boeing|Reuters|Airbus|Twitter|Toyota|Ryanair|Sony|eBay|Yahoo|IBM|Intel|Nokia|General Motors|HP|AT&T|GitHub|Verizon|PayPal|Vodafone|Uber|Bank of America|Telstra|McDonald's|Viacom|Siemens|Disney|Qantas|Bombardier|Flickr|Garuda|Visa|MySpace|Red Hat|Greenpeace|BT|XM|Dell|Ford", "ORG",
  "the company/organisation in every context read (launches, sells, says, shares)")
j("YouTube", "ORG", "the video site, named as a platform ~like Facebook and Twitter (websites count as ORG), and as Google-owned company")
j("Wikinews|BBC|CNN|Associated Press|Fox News|The Guardian|New York Times|Forbes|Veja", "ORG", "news outlet: 'told X', 'according to X'")
j("British Airways|American Airlines|United Airlines|Southwest Airlines|Singapore Airlines|Delta Air Lines|US Airways|Czech Airlines|China Airlines|Japan Airlines|Libyan Airlines|Scandinavian Airlines", "ORG", "airline")
j("Southwest", "ORG", "every context read is Southwest Airlines (passengers, stock, AirTran deal); 'Calgary Southwest' is another name")
j("Delta", "ORG", "Delta Air Lines in ~30 of 32 (shares, CEO, Northwest merger); Nigeria's Delta state and 'American Delta party' once each")
j("EU|European Union|UN|Congress|Senate|White House|Labour|Abin|G-20", "ORG",
  "institution / body (White House as the administration; Abin the Brazilian intelligence agency; G-20 the group)")
j("Congressional", "ORG", "adjective of Congress ('Congressional leaders'); judged as the institution")
j("Bush|Obama|Trump|Biden|McCain|Dorsa Derakhshani|George W. Bush|Barack Obama|Howard|John Howard|Clinton|Scaramucci|Musharraf|Carroll|Aquino|Jobs|Hartmann|Martin|McGuinty|Romney|La Riva|Chávez|Jefferson|Sanders|Cooper|Kibaki|Ms Gibbons|Pierce|Savarino|Gravel|Brown|Abbas|Blair|Costello|Kennedy|Johnson|Putin", "PERSON",
  "a person in every context read (said, President X, Mr X, X's campaign)")
j("US|United States|U.S.|China|Australia|Iraq|Iran|Israel|UK|Canada|Moldova|Azerbaijan|Cameroon|Mississippi|Chad|NSW", "GPE", "country / state")
j("Wales", "GPE", "the country in ~30 of 35; Jimmy Wales 5 times (14%, under the 20% ambiguity bar)")
j("Hamilton", "GPE", "Hamilton, Ontario (voters, taxes, city); 'Dr Hamilton' once")
j("Calgary Southwest", "GPE", "electoral district (riding)")
j("Europe|Africa|Middle East|Earth|Asia", "LOC", "continent / region / planet")
j("American|British|Australian|Israeli|Chinese|Liberals", "NORP", "nationality adjective / political group (Liberals: party members)")
j("Islam", "NORP", "religion")
j("iPhone|iPod|iPad|A380|737|Xbox 360|Android|Windows XP|Minecraft|Taurus|Xbox|Linux|Windows|iTunes|Fedora|Vista|Mac|Blu-Ray|Blu-ray|Minetest|Stream", "PRODUCT",
  "product / software / format (Windows, Linux, Vista, Fedora: operating systems; Mac: 'Mac OS X', 'the Mac'; Minetest: a game; Stream: CentOS Stream)")
j("Guantanamo|Guantanamo Bay|Heathrow", "FAC", "detention camp / airport")
j("DMCA", "LAW", "the Digital Millennium Copyright Act")
j("Brexit", "EVENT", "the UK's leaving the EU")
j("Bloomberg", "PERSON", "Mayor Michael Bloomberg ~22 vs the Bloomberg news service ~18: two things", True)
j("Sun", "LOC", "the star ~22 vs Sun Microsystems ~9: two things", True)
j("Chelsea", "GPE", "Chelsea, Massachusetts ~7, Chelsea FC ~6, 'Whittard of Chelsea' 3: several things", True)
j("Amazon", "ORG", "the company ~27 vs the rainforest/jungle ~9 (25%): two things", True)
j("हैं", None, "a Hindi verb in quoted Hindi text: not a name")
j("COVID-19", None, "a disease: no type in the scheme")
j("MMP", None, "an electoral system (mixed-member proportional): no type in the scheme")
j("Euro", None, "a currency: no type in the scheme")
out = []
for line in open(sys.argv[1], encoding="utf-8"):
    name, pool, n, labels = line.rstrip("\n").split("\t")
    if name not in J:
        print("MISSING", name, file=sys.stderr); continue
    typ, reason, amb = J[name]
    split = "tune" if int(hashlib.sha1(name.encode()).hexdigest(), 16) % 2 == 0 else "heldout"
    out.append({"name": name, "type": typ, "ambiguous": amb, "reason": reason, "pool": pool, "split": split,
                "baseline_mentions": int(n), "baseline_labels": json.loads(labels)})
extra = set(J) - {o["name"] for o in out}
print("unused judgments", extra, file=sys.stderr)
with open(sys.argv[2], "w", encoding="utf-8") as f:
    for o in out:
        f.write(json.dumps(o, ensure_ascii=False) + "\n")
from collections import Counter
print(len(out), Counter(o["split"] for o in out), Counter(o["type"] for o in out), file=sys.stderr)
