"""The demo in four languages: the home page, the brand story, the blog index and two of its posts,
the lookbooks index and the summer lookbook, and the blog categories, translated into Greek,
Norwegian Bokmål and Hungarian through wagtail-localize, as an editor would (each a Translation of
its English source, so the admin's side-by-side editor opens on it and shows what is out of date).

Called by content.demo.load after the English pages exist; running it again changes nothing.
Slugs and hashtags stay as they are (the language switcher keeps a visitor on the same address).
"""

from wagtail.models import Locale, Page

# English source string -> (Greek, Norwegian Bokmål, Hungarian).
STRINGS = {
    "Welcome to the community": (
        "Καλώς ήρθατε στην κοινότητα", "Velkommen til fellesskapet", "Üdv a közösségben"),
    "Stories, lookbooks and a place to talk with everyone who wears the brand.": (
        "Ιστορίες, lookbooks και ένας χώρος για κουβέντα με όλους όσοι φορούν τα ρούχα μας.",
        "Historier, lookbooks og et sted å prate med alle som går med klærne våre.",
        "Történetek, lookbookok és egy hely, ahol mindenkivel beszélgethetsz, aki a ruháinkat hordja."),
    "Blog": ("Ιστολόγιο", "Blogg", "Blog"),
    "Care guides, the people behind our clothes and news from the community.": (
        "Οδηγοί φροντίδας, οι άνθρωποι πίσω από τα ρούχα μας και νέα από την κοινότητα.",
        "Stellguider, menneskene bak klærne våre og nytt fra fellesskapet.",
        "Ápolási útmutatók, a ruháink mögött álló emberek és hírek a közösségből."),
    "Our story": ("Η ιστορία μας", "Historien vår", "Történetünk"),
    "A small workshop, a stubborn idea about clothes that last, and the community that grew around both.": (
        "Ένα μικρό εργαστήριο, μια πεισματάρικη ιδέα για ρούχα που αντέχουν και η κοινότητα που μεγάλωσε γύρω τους.",
        "Et lite verksted, en sta idé om klær som varer, og fellesskapet som vokste fram rundt begge.",
        "Egy kis műhely, egy makacs ötlet a tartós ruhákról, és a közösség, amely mindkettő köré felnőtt."),
    "Where it began": ("Πώς ξεκίνησαν όλα", "Slik begynte det", "Ahogy elkezdődött"),
    ("We started with one question: why do the clothes we love wear out so fast? The answer was rarely the "
     "fabric. It was cheap thread, hurried seams and a business that needs you back in the shop every season. "
     "So we set out to make fewer things, better, and to help you keep them."): (
        "Ξεκινήσαμε με μία ερώτηση: γιατί τα ρούχα που αγαπάμε φθείρονται τόσο γρήγορα; Σπάνια έφταιγε το ύφασμα. "
        "Έφταιγαν η φτηνή κλωστή, οι βιαστικές ραφές και μια αγορά που σε θέλει πίσω στο μαγαζί κάθε σεζόν. "
        "Γι' αυτό αποφασίσαμε να φτιάχνουμε λιγότερα πράγματα, καλύτερα, και να σας βοηθάμε να τα κρατάτε.",
        "Vi begynte med ett spørsmål: hvorfor blir klærne vi er glade i, så fort slitt? Svaret var sjelden stoffet. "
        "Det var billig tråd, forhastede sømmer og en bransje som trenger deg tilbake i butikken hver sesong. "
        "Så vi bestemte oss for å lage færre ting, bedre, og hjelpe deg å ta vare på dem.",
        "Egyetlen kérdéssel kezdtük: miért kopnak el olyan gyorsan a ruhák, amelyeket szeretünk? Ritkán az anyag "
        "volt a hibás. Az olcsó cérna, a kapkodó varrás és egy üzlet, amelynek minden szezonban vissza kell "
        "csábítania a boltba. Ezért elhatároztuk, hogy kevesebbet készítünk, jobban, és segítünk megőrizni."),
    "The workshop, drawn for the demo.": (
        "Το εργαστήριο, σχεδιασμένο για την επίδειξη.", "Verkstedet, tegnet for demoen.",
        "A műhely, a bemutatóhoz rajzolva."),
    "Make less, make it well, and mend it when it tears.": (
        "Φτιάξε λιγότερα, φτιάξ' τα καλά και μπάλωσέ τα όταν σκιστούν.",
        "Lag mindre, lag det godt, og lapp det når det revner.",
        "Készíts kevesebbet, készítsd jól, és foltozd meg, ha elszakad."),
    "Ελένη Παπαδοπούλου, founder": (
        "Ελένη Παπαδοπούλου, ιδρύτρια", "Ελένη Παπαδοπούλου, grunnlegger", "Ελένη Παπαδοπούλου, alapító"),
    "How we got here": ("Πώς φτάσαμε ως εδώ", "Veien hit", "Hogyan jutottunk idáig"),
    "What we care about": ("Τι μας νοιάζει", "Det vi bryr oss om", "Ami fontos nekünk"),
    "The people behind the brand": (
        "Οι άνθρωποι πίσω από το brand", "Menneskene bak merket", "Az emberek a márka mögött"),
    "Join us": ("Ελάτε μαζί μας", "Bli med oss", "Tarts velünk"),
    ("The best ideas for what we make next come from the people who wear it. Ask in the forum, share your photos "
     "under our hashtags, and bring your friends. Members also read <a id=\"a1\">our interviews from the studio</a> "
     "before anyone else."): (
        "Οι καλύτερες ιδέες για ό,τι θα φτιάξουμε μετά έρχονται από όσους το φορούν. Ρωτήστε στο φόρουμ, μοιραστείτε "
        "τις φωτογραφίες σας με τα hashtag μας και φέρτε τους φίλους σας. Τα μέλη διαβάζουν επίσης "
        "<a id=\"a1\">τις συνεντεύξεις μας από το εργαστήριο</a> πριν από όλους.",
        "De beste ideene til det vi lager neste gang, kommer fra dem som bruker det. Spør i forumet, del bildene "
        "dine under emneknaggene våre, og ta med vennene dine. Medlemmer leser også "
        "<a id=\"a1\">intervjuene våre fra atelieret</a> før alle andre.",
        "A legjobb ötletek arra, mit készítsünk legközelebb, azoktól jönnek, akik hordják. Kérdezz a fórumon, oszd "
        "meg a fotóidat a hashtagjeink alatt, és hozd el a barátaidat. A tagok ráadásul mindenki más előtt "
        "olvassák <a id=\"a1\">a műhelyben készült interjúinkat</a>."),
    "Lookbooks": ("Lookbooks", "Lookbooks", "Lookbookok"),
    "How we wear what we make, season by season, and how members wear it.": (
        "Πώς φοράμε ό,τι φτιάχνουμε, εποχή με την εποχή, και πώς το φορούν τα μέλη μας.",
        "Hvordan vi bruker det vi lager, sesong for sesong, og hvordan medlemmene bruker det.",
        "Hogyan hordjuk, amit készítünk, évszakról évszakra, és hogyan hordják a tagjaink."),
    "How to wash linen so it softens, not shrinks": (
        "Πώς να πλένετε το λινό ώστε να μαλακώνει και να μη μαζεύει",
        "Slik vasker du lin så det blir mykere, ikke krymper",
        "Így mosd a lent, hogy puhuljon, és ne menjen össze"),
    "Cool water, a gentle spin and no tumble dryer: the three habits that make a linen shirt better every year.": (
        "Δροσερό νερό, ήπιο στύψιμο και καθόλου στεγνωτήριο: οι τρεις συνήθειες που κάνουν ένα λινό πουκάμισο "
        "καλύτερο κάθε χρόνο.",
        "Kjølig vann, skånsom sentrifugering og ingen tørketrommel: de tre vanene som gjør en linskjorte bedre "
        "for hvert år.",
        "Hideg víz, kíméletes centrifuga és semmi szárítógép: három szokás, amitől egy lenvászon ing évről évre "
        "szebb lesz."),
    ("We test every new fabric the same way: forty washes, a season of wear by someone on the team, and a long "
     "look at what comes back. If it does not pass, it does not go into the shop, however good it looked on the "
     "roll."): (
        "Δοκιμάζουμε κάθε νέο ύφασμα με τον ίδιο τρόπο: σαράντα πλυσίματα, μια σεζόν στην πλάτη κάποιου από την "
        "ομάδα και μια προσεκτική ματιά σε ό,τι επιστρέφει. Αν δεν περάσει, δεν μπαίνει στο κατάστημα, όσο ωραίο "
        "κι αν φαινόταν στο τόπι.",
        "Vi tester hvert nye stoff på samme måte: førti vasker, en sesong i bruk hos noen i teamet og en grundig "
        "titt på det som kommer tilbake. Består det ikke, kommer det ikke i butikken, uansett hvor fint det så ut "
        "på rullen.",
        "Minden új anyagot ugyanígy tesztelünk: negyven mosás, egy szezon viselés valakinél a csapatból, és alapos "
        "vizsgálat a végén. Ha nem állja ki a próbát, nem kerül a boltba, bármilyen szép volt is a vég."),
    ("When something does wear through, mend it early. A small hole takes five minutes to darn; a large one takes "
     "an evening and shows. Members bring their mending to the repair café every month, and anyone is welcome."): (
        "Όταν κάτι τελικά φθαρεί, μπαλώστε το νωρίς. Μια μικρή τρύπα θέλει πέντε λεπτά μαντάρισμα· μια μεγάλη θέλει "
        "ένα ολόκληρο βράδυ και φαίνεται. Τα μέλη φέρνουν τα μπαλώματά τους στο καφέ επιδιόρθωσης κάθε μήνα, και "
        "όλοι είναι ευπρόσδεκτοι.",
        "Når noe først blir slitt, lapp det tidlig. Et lite hull tar fem minutter å stoppe; et stort tar en hel "
        "kveld og synes. Medlemmene tar med seg lappesakene sine til reparasjonskafeen hver måned, og alle er "
        "velkomne.",
        "Ha valami mégis kikopik, javítsd meg időben. Egy kis lyukat öt perc alatt beszőhetsz; egy nagy egy egész "
        "estét vesz igénybe, és látszik. A tagok minden hónapban elhozzák a javítanivalójukat a javítókávézóba, "
        "és bárkit szívesen látunk."),
    ("The people who make our clothes are part of this story. We visit every workshop we work with at least once "
     "a year, and we publish what we pay for the work alongside what we charge for the result."): (
        "Οι άνθρωποι που φτιάχνουν τα ρούχα μας είναι μέρος αυτής της ιστορίας. Επισκεπτόμαστε κάθε εργαστήριο "
        "με το οποίο συνεργαζόμαστε τουλάχιστον μία φορά τον χρόνο και δημοσιεύουμε τι πληρώνουμε για τη δουλειά "
        "δίπλα σε ό,τι χρεώνουμε για το αποτέλεσμα.",
        "Menneskene som lager klærne våre, er en del av denne historien. Vi besøker hvert verksted vi samarbeider "
        "med minst én gang i året, og vi publiserer hva vi betaler for arbeidet ved siden av hva vi tar for "
        "resultatet.",
        "Akik a ruháinkat készítik, ennek a történetnek a részei. Minden műhelyt, amellyel dolgozunk, legalább "
        "évente egyszer meglátogatunk, és közzétesszük, mennyit fizetünk a munkáért, és mennyit kérünk az "
        "eredményért."),
    "The best garment is the one you already own.": (
        "Το καλύτερο ρούχο είναι αυτό που ήδη έχετε.", "Det beste plagget er det du allerede har.",
        "A legjobb ruhadarab az, ami már megvan."),
    "A member at the repair café": (
        "Ένα μέλος στο καφέ επιδιόρθωσης", "Et medlem på reparasjonskafeen", "Egy tag a javítókávézóban"),
    "In short": ("Με λίγα λόγια", "Kort fortalt", "Röviden"),
    ("Most of what we make is meant to be worn for a decade, and that depends less on the fabric than on what "
     "happens to it between wearings. The habits below are the ones our workshop uses every day; none of them "
     "takes long."): (
        "Τα περισσότερα που φτιάχνουμε είναι φτιαγμένα για να φοριούνται μια δεκαετία, και αυτό εξαρτάται λιγότερο "
        "από το ύφασμα και περισσότερο από ό,τι του συμβαίνει ανάμεσα στις φορές. Οι παρακάτω συνήθειες είναι "
        "αυτές που εφαρμόζει κάθε μέρα το εργαστήριό μας· καμία δεν παίρνει πολύ χρόνο.",
        "Det meste vi lager, er ment å brukes i ti år, og det avhenger mindre av stoffet enn av hva som skjer med "
        "det mellom hver gang det brukes. Vanene nedenfor er dem verkstedet vårt følger hver dag; ingen av dem tar "
        "lang tid.",
        "Amit készítünk, annak nagy részét egy évtizedig hordásra szánjuk, és ez kevésbé múlik az anyagon, mint "
        "azon, mi történik vele két viselés között. Az alábbi szokásokat a műhelyünk minden nap követi; egyik sem "
        "tart sokáig."),
    ("Start with the label, then ignore half of it. Care labels are written to protect the maker from the worst "
     "case, so they are cautious. A cool wash at thirty degrees with a mild detergent suits almost everything we "
     "sell."): (
        "Ξεκινήστε από την ετικέτα και μετά αγνοήστε τα μισά. Οι ετικέτες φροντίδας γράφονται για να προστατεύουν "
        "τον κατασκευαστή από τη χειρότερη περίπτωση, γι' αυτό είναι προσεκτικές. Ένα δροσερό πλύσιμο στους "
        "τριάντα βαθμούς με ήπιο απορρυπαντικό ταιριάζει σχεδόν σε ό,τι πουλάμε.",
        "Begynn med vaskelappen, og se så bort fra halvparten. Vaskelapper skrives for å beskytte produsenten mot "
        "det verste, så de er forsiktige. En kjølig vask på tretti grader med et mildt vaskemiddel passer nesten "
        "alt vi selger.",
        "Kezdd a címkével, aztán felejtsd el a felét. A kezelési címkék a gyártót védik a legrosszabb esettől, "
        "ezért óvatosak. Egy hűvös, harmincfokos mosás kímélő mosószerrel szinte mindenhez jó, amit árulunk."),
    "Drawn for the demo: every picture here is generated.": (
        "Σχεδιασμένο για την επίδειξη: κάθε εικόνα εδώ είναι παραγόμενη.",
        "Tegnet for demoen: alle bildene her er generert.",
        "A bemutatóhoz rajzolva: minden kép generált."),
    "Two hundred days of rain: testing the Fjord raincoat": (
        "Διακόσιες μέρες βροχής: δοκιμάζοντας το αδιάβροχο Fjord",
        "To hundre dager med regn: vi testet Fjord-regnjakken",
        "Kétszáz esős nap: így teszteltük a Fjord esőkabátot"),
    "We sent twelve prototypes to Bergen and asked for them back when they leaked. Here is what we changed.": (
        "Στείλαμε δώδεκα πρωτότυπα στο Μπέργκεν και ζητήσαμε να μας τα επιστρέψουν μόλις έμπαζαν νερό. Να τι "
        "αλλάξαμε.",
        "Vi sendte tolv prototyper til Bergen og ba om å få dem tilbake når de lakk. Dette er hva vi endret.",
        "Tizenkét prototípust küldtünk Bergenbe, és kértük, hogy küldjék vissza, ha beáznak. Ezen változtattunk."),
    ("Thank you to everyone who wrote in with questions. Keep them coming in the forum: the best answers often "
     "come from other members, and we read every thread."): (
        "Ευχαριστούμε όλους όσοι μας έστειλαν ερωτήσεις. Συνεχίστε να τις γράφετε στο φόρουμ: οι καλύτερες "
        "απαντήσεις έρχονται συχνά από άλλα μέλη, και διαβάζουμε κάθε συζήτηση.",
        "Takk til alle som skrev til oss med spørsmål. Fortsett å stille dem i forumet: de beste svarene kommer "
        "ofte fra andre medlemmer, og vi leser hver eneste tråd.",
        "Köszönjük mindenkinek, aki kérdéssel fordult hozzánk. Írjátok továbbra is a fórumra: a legjobb válaszok "
        "gyakran más tagoktól jönnek, és mi minden beszélgetést elolvasunk."),
    "Linen is a fabric you wear in, not out.": (
        "Το λινό είναι ύφασμα που το φοράς για να στρώσει, όχι για να χαλάσει.",
        "Lin er et stoff du bruker til det blir godt, ikke til det blir utslitt.",
        "A lenvászon nem elkopik, hanem bejáratódik."),
    "Ελένη, the linen workshop": (
        "Ελένη, από το εργαστήριο λινού", "Ελένη, linverkstedet", "Ελένη, a lenvászonműhelyből"),
    "What we learned": ("Τι μάθαμε", "Hva vi lærte", "Amit megtanultunk"),
    ("Dry flat or on a wide hanger, out of direct sun. Heat is what shrinks natural fibres and fades dye; air "
     "does the same work more slowly and leaves the fabric softer."): (
        "Στεγνώστε το απλωμένο ή σε φαρδιά κρεμάστρα, μακριά από τον ήλιο. Η ζέστη είναι αυτή που μαζεύει τις "
        "φυσικές ίνες και ξεθωριάζει τη βαφή· ο αέρας κάνει την ίδια δουλειά πιο αργά και αφήνει το ύφασμα πιο "
        "μαλακό.",
        "Tørk det flatt eller på en bred kleshenger, unna direkte sol. Det er varmen som krymper naturfibre og "
        "bleker farge; luft gjør samme jobben langsommere og gjør stoffet mykere.",
        "Szárítsd kiterítve vagy széles vállfán, közvetlen napfénytől távol. A hő zsugorítja a természetes "
        "szálakat és fakítja a festéket; a levegő ugyanezt lassabban végzi el, és puhábban hagyja az anyagot."),
    ("Give the garment room. An overfull drum rubs fibres against each other and against the metal, which is "
     "where pilling and thin patches begin. Half a load is kinder, and it rinses better too."): (
        "Αφήστε χώρο στο ρούχο. Ένας παραγεμισμένος κάδος τρίβει τις ίνες μεταξύ τους και πάνω στο μέταλλο, κι "
        "από εκεί ξεκινούν τα χνούδια και τα λεπτά σημεία. Το μισό φορτίο είναι πιο ευγενικό και ξεβγάζει "
        "καλύτερα.",
        "Gi plagget plass. En overfull trommel gnir fibrene mot hverandre og mot metallet, og det er der nupping "
        "og tynne flekker begynner. En halv maskin er snillere, og den skyller bedre også.",
        "Hagyj helyet a ruhának. A túltömött dob a szálakat egymáshoz és a fémhez dörzsöli, innen indul a "
        "bolyhosodás és az elvékonyodás. A fél adag kíméletesebb, és jobban is öblít."),
    "Summer linen": ("Καλοκαιρινό λινό", "Sommerlin", "Nyári len"),
    "Summer 2026": ("Καλοκαίρι 2026", "Sommer 2026", "2026 nyara"),
    "Linen for the hottest weeks: loose, washed soft and made to be worn every day until September.": (
        "Λινό για τις πιο ζεστές εβδομάδες του καλοκαιριού: φαρδύ, μαλακό από το πλύσιμο και φτιαγμένο για να "
        "φοριέται κάθε μέρα ως τον Σεπτέμβρη.",
        "Lin for de varmeste ukene: løst, vasket mykt og laget for å brukes hver dag til september.",
        "Len a legforróbb hetekre: laza, puhára mosott, és arra készült, hogy szeptemberig minden nap hordd."),
    "By the sea": ("Δίπλα στη θάλασσα", "Ved sjøen", "A tengerparton"),
    "A sand shirt over shorts, a scarf against the wind off the water.": (
        "Ένα πουκάμισο στο χρώμα της άμμου πάνω από σορτς, ένα μαντίλι για τον αέρα της θάλασσας.",
        "En sandfarget skjorte over shorts, et skjerf mot vinden fra sjøen.",
        "Homokszínű ing rövidnadrággal, egy sál a tenger felől fújó szél ellen."),
    ("Wear the shirt <b>open over a tee</b> or buttoned to the top; roll the sleeves twice, just under the elbow. "
     "Linen creases: that is the point."): (
        "Φορέστε το πουκάμισο <b>ανοιχτό πάνω από ένα μπλουζάκι</b> ή κουμπωμένο ως πάνω· γυρίστε τα μανίκια δύο "
        "φορές, λίγο κάτω από τον αγκώνα. Το λινό τσαλακώνεται: αυτό είναι το νόημα.",
        "Bruk skjorta <b>åpen over en T-skjorte</b> eller kneppet helt opp; brett opp ermene to ganger, rett under "
        "albuen. Lin krøller seg: det er hele poenget.",
        "Hordd az inget <b>nyitva egy póló fölött</b>, vagy gombold be egészen; hajtsd fel kétszer az ujját, épp a "
        "könyököd alá. A len gyűrődik: éppen ez a lényeg."),
    "In town": ("Στην πόλη", "I byen", "A városban"),
    "Indigo and olive for a day between meetings and a late dinner.": (
        "Λουλακί και λαδί για μια μέρα ανάμεσα σε συναντήσεις και ένα αργό δείπνο.",
        "Indigo og oliven for en dag mellom møter og en sen middag.",
        "Indigó és olívazöld egy napra, megbeszélések és egy késő esti vacsora között."),
    ("Drawstring trousers take a belt as well. Tuck the shirt in <i>at the front only</i> for a looser line."): (
        "Το παντελόνι με κορδόνι φοριέται και με ζώνη. Βάλτε το πουκάμισο μέσα <i>μόνο μπροστά</i> για πιο χαλαρή "
        "γραμμή.",
        "Bukser med snøring kan også brukes med belte. Stikk skjorta ned i buksa <i>bare foran</i> for en løsere "
        "linje.",
        "A megkötős nadrághoz öv is illik. Az inget <i>csak elöl</i> tűrd be, így lazább a vonal."),
    "The long dress": ("Το μακρύ φόρεμα", "Den lange kjolen", "A hosszú ruha"),
    "One piece from morning to evening, with everything in the tote.": (
        "Ένα κομμάτι από το πρωί ως το βράδυ, με όλα τα απαραίτητα στην πάνινη τσάντα.",
        "Ett plagg fra morgen til kveld, med alt du trenger i nettet.",
        "Egyetlen darab reggeltől estig, mindennel a vászontáskában."),
    "Tie the belt loosely at the back; in the evening add a light knit over the shoulders.": (
        "Δέστε χαλαρά τη ζώνη πίσω· το βράδυ ρίξτε ένα ελαφρύ πλεκτό στους ώμους.",
        "Knyt beltet løst bak; om kvelden legger du en lett strikkegenser over skuldrene.",
        "Hátul kösd meg lazán az övet; este vess egy könnyű kötött pulóvert a válladra."),
    # The blog's categories (snippets).
    "Care guides": ("Οδηγοί φροντίδας", "Stellguider", "Ápolási útmutatók"),
    "How to wash, dry, store and mend what you wear, so it lasts for years.": (
        "Πώς να πλένετε, να στεγνώνετε, να φυλάτε και να μπαλώνετε ό,τι φοράτε, για να κρατάει χρόνια.",
        "Slik vasker, tørker, oppbevarer og lapper du det du går med, så det varer i årevis.",
        "Hogyan mosd, szárítsd, tárold és javítsd, amit hordasz, hogy évekig kitartson."),
    "Behind the seams": ("Πίσω από τις ραφές", "Bak sømmene", "A varratok mögött"),
    "Where our fabrics come from and the people who make our clothes.": (
        "Από πού έρχονται τα υφάσματά μας και οι άνθρωποι που φτιάχνουν τα ρούχα μας.",
        "Hvor stoffene våre kommer fra, og menneskene som lager klærne våre.",
        "Honnan származnak az anyagaink, és kik készítik a ruháinkat."),
    "Community": ("Κοινότητα", "Fellesskap", "Közösség"),
    "Members' stories, meet-ups and the repair café.": (
        "Ιστορίες μελών, συναντήσεις και το καφέ επιδιόρθωσης.",
        "Medlemmenes historier, treff og reparasjonskafeen.",
        "A tagok történetei, találkozók és a javítókávézó."),
}
# An image's description (its alt text in English) -> its alt text in Greek, Norwegian Bokmål and
# Hungarian (core.image_alt): every picture of the translated pages.
ALT_TEXTS = {
    "An abstract landscape drawn for the demo: a pale sun over soft hills": (
        "Αφηρημένο τοπίο σχεδιασμένο για την επίδειξη: ένας χλωμός ήλιος πάνω από απαλούς λόφους",
        "Et abstrakt landskap tegnet for demoen: en blek sol over myke åser",
        "Absztrakt tájkép a bemutatóhoz rajzolva: halvány nap lágy dombok fölött"),
    "An abstract landscape drawn for the demo": (
        "Αφηρημένο τοπίο σχεδιασμένο για την επίδειξη",
        "Et abstrakt landskap tegnet for demoen",
        "Absztrakt tájkép a bemutatóhoz rajzolva"),
    "An abstract landscape drawn for the demo lookbook": (
        "Αφηρημένο τοπίο σχεδιασμένο για το lookbook της επίδειξης",
        "Et abstrakt landskap tegnet for demo-lookbooken",
        "Absztrakt tájkép a bemutató lookbookjához rajzolva"),
    "An abstract drawing of the workshop's warm colours": (
        "Αφηρημένο σχέδιο στα ζεστά χρώματα του εργαστηρίου",
        "En abstrakt tegning i verkstedets varme farger",
        "Absztrakt rajz a műhely meleg színeiben"),
    "An abstract drawing of soft shapes": (
        "Αφηρημένο σχέδιο με απαλά σχήματα",
        "En abstrakt tegning av myke former",
        "Absztrakt rajz lágy formákkal"),
    "A drawn figure wearing the look “By the sea”": (
        "Σχεδιασμένη φιγούρα που φοράει το look «Δίπλα στη θάλασσα»",
        "En tegnet figur i antrekket «Ved sjøen»",
        "Rajzolt alak „A tengerparton” szettben"),
    "A drawn figure wearing the look “In town”": (
        "Σχεδιασμένη φιγούρα που φοράει το look «Στην πόλη»",
        "En tegnet figur i antrekket «I byen»",
        "Rajzolt alak „A városban” szettben"),
    "A drawn figure wearing the look “The long dress”": (
        "Σχεδιασμένη φιγούρα που φοράει το look «Το μακρύ φόρεμα»",
        "En tegnet figur i antrekket «Den lange kjolen»",
        "Rajzolt alak „A hosszú ruha” szettben"),
}

LANGUAGES = ("el", "nb", "hu")
# Pages by their path under the home page ("" is the home page itself), parents before children.
PAGES = ("", "about/", "lookbooks/", "lookbooks/summer-linen/", "blog/", "blog/washing-linen/",
         "blog/bergen-rain-test/")
CATEGORY_SLUGS = ("care", "behind-the-seams", "community")


def _translate(instance, locale, index):
    """Make (or bring up to date) `instance`'s translation into `locale` from STRINGS: a string we
    have no translation for keeps its English (localize's fallback), slugs and hashtags included."""
    from wagtail_localize.models import StringSegment, StringTranslation, Translation, TranslationSource

    source, _created = TranslationSource.get_or_create_from_instance(instance)
    translation, _created = Translation.objects.get_or_create(
        source=source, target_locale=locale, defaults={"enabled": True})
    for segment in StringSegment.objects.filter(source=source).select_related("string", "context"):
        text = STRINGS.get(segment.string.data)
        if text is None:
            continue
        StringTranslation.objects.update_or_create(
            translation_of=segment.string, locale=locale, context=segment.context,
            defaults={"data": text[index]},
        )
    translation.save_target(publish=True)


def load(stdout):
    from .models import BlogCategory, HomePage

    home = HomePage.objects.filter(depth=2, locale__language_code="en").order_by("path").first()
    if home is None:
        stdout.write("Demo translations: skipped, there is no home page")
        return
    made = []
    # Not in one transaction: localize publishes each translation when its own transaction commits,
    # and a parent published after its children were added would be saved with its old child count.
    for index, code in enumerate(LANGUAGES):
        locale, _created = Locale.objects.get_or_create(language_code=code)
        for path in PAGES:
            page = Page.objects.filter(url_path=f"{home.url_path}{path}").first()
            if page is None or page.get_translations().filter(locale=locale).exists():
                continue
            _translate(page.specific, locale, index)
            made.append(f"/{code}/{path}")
        for category in BlogCategory.objects.filter(slug__in=CATEGORY_SLUGS, locale__language_code="en"):
            if not category.get_translations().filter(locale=locale).exists():
                _translate(category, locale, index)
    alt_texts = _alt_texts()
    stdout.write((f"Demo translations: {len(made)} pages translated" if made else "Demo translations: already there")
                 + f", {alt_texts} pictures with their alt text in {len(LANGUAGES)} more languages")


def _alt_texts():
    """Every picture of the translated pages gets its alt text in Greek, Norwegian and Hungarian, as an
    editor gives them on the image's page (core.image_alt). Running it again changes nothing."""
    from wagtail.images import get_image_model

    from core.image_alt import image_alt_texts_set

    images = get_image_model().objects.filter(description__in=ALT_TEXTS)
    for image in images:
        image_alt_texts_set(image, dict(zip(LANGUAGES, ALT_TEXTS[image.description], strict=True)))
    return len(images)
