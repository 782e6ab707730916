"""What people write in the demo: reports, staff replies, internal notes, ratings.

Reports are keyed by service code, in Arabic and English; replies are pairs (Arabic, English)
so that a case reported in English is answered in English.
"""

from __future__ import annotations

DESCRIPTIONS: dict[str, dict[str, list[str]]] = {
    "pothole": {
        "ar": [
            "حفرة كبيرة في منتصف الطريق أمام المسجد، والسيارات تنحرف لتفاديها.",
            "حفرة عميقة بعد الدوار مباشرة، تسببت في إتلاف إطار سيارتي.",
            "هبوط في الأسفلت عند مدخل الحي بعد الأمطار الأخيرة.",
            "عدة حفر صغيرة متتالية في المسار الأيمن، خطرة على الدراجات النارية.",
        ],
        "en": [
            "Deep pothole in the right lane just after the roundabout, cars swerve around it.",
            "The asphalt has sunk near the entrance of the neighbourhood since the rain.",
            "Several potholes outside the school gate, getting bigger every week.",
        ],
    },
    "damaged-pavement": {
        "ar": [
            "بلاط الرصيف مرتفع ومكسور أمام المحلات، وكبار السن يتعثرون.",
            "الرصيف مهدم بعد أعمال الحفر ولم يُعَد كما كان.",
            "لا يمكن المرور بعربة الأطفال بسبب البلاط المفقود.",
        ],
        "en": [
            "Paving slabs lifted by tree roots, a trip hazard for older people.",
            "The footpath was dug up for cables and never put back.",
        ],
    },
    "road-sign": {
        "ar": [
            "لوحة قف ساقطة عند التقاطع، والسيارات لا تتوقف.",
            "لوحة اسم السكة باهتة ولا تُقرأ، والزوار لا يجدون العناوين.",
            "لوحة حد السرعة منحنية بعد حادث.",
        ],
        "en": [
            "The stop sign at the junction has been knocked down.",
            "Street name sign is completely faded, delivery drivers get lost.",
        ],
    },
    "speed-bump": {
        "ar": [
            "السيارات تسير بسرعة عالية أمام المدرسة، نطلب مطباً قبل بداية الدوام.",
            "الشارع مستقيم وطويل والأطفال يلعبون قرب المنازل، نرجو وضع مطب.",
            "وقع حادث دهس الشهر الماضي قرب المسجد، والسرعة ما زالت عالية.",
        ],
        "en": [
            "Cars race down our street at night, children play here. Please add a speed bump.",
            "Drivers use our residential road as a shortcut at high speed.",
        ],
    },
    "drain-cover": {
        "ar": [
            "غطاء منهل مفقود في وسط الطريق، والفتحة مكشوفة تماماً.",
            "غطاء تصريف مكسور على ممر المشاة قرب المدرسة.",
            "الغطاء يتحرك ويصدر صوتاً عالياً عند مرور السيارات.",
        ],
        "en": [
            "A manhole cover is missing in the middle of the road, the hole is wide open.",
            "Broken drain grate on the footpath, a child almost fell in.",
        ],
    },
    "rainwater": {
        "ar": [
            "تجمع مياه الأمطار في النفق، والسيارات الصغيرة لا تستطيع العبور.",
            "المياه تغمر التقاطع منذ الصباح ولا يوجد تصريف.",
            "بركة مياه كبيرة أمام المنازل، بدأ البعوض يتكاثر.",
        ],
        "en": [
            "The underpass is flooded after the rain, small cars cannot get through.",
            "Water has covered the junction since morning, the drain seems blocked.",
        ],
    },
    "streetlight-out": {
        "ar": [
            "إنارة الشارع مطفأة منذ أسبوع، والمكان مظلم تماماً ليلاً.",
            "ثلاثة أعمدة متتالية لا تعمل على الطريق المؤدي إلى الحي.",
            "المصباح يومض طوال الليل ثم ينطفئ.",
            "الإنارة معطلة عند ممر المشاة قرب المسجد.",
        ],
        "en": [
            "Street light out for a week, the whole street is dark at night.",
            "Three lights in a row are off on the road into the neighbourhood.",
            "The lamp near the pedestrian crossing keeps flickering and going out.",
        ],
    },
    "streetlight-day": {
        "ar": [
            "الإنارة تعمل طوال النهار منذ أيام، هدر للكهرباء.",
            "أعمدة الشارع مضاءة في منتصف النهار.",
        ],
        "en": ["These street lights stay on all day.", "Lights burning in broad daylight."],
    },
    "damaged-pole": {
        "ar": [
            "عمود إنارة مائل نحو الطريق بعد أن صدمته شاحنة.",
            "باب قاعدة العمود مفقود والأسلاك ظاهرة.",
            "العمود مائل بشدة ويخشى سقوطه على السيارات المتوقفة.",
        ],
        "en": [
            "Light pole leaning over the road after a truck hit it.",
            "The base door of the pole is missing and wires are showing.",
        ],
    },
    "bin-overflow": {
        "ar": [
            "الحاوية ممتلئة منذ ثلاثة أيام والنفايات متناثرة حولها.",
            "القطط تبعثر النفايات حول الحاوية والرائحة كريهة.",
            "الحاوية الكبيرة عند مدخل السكة لم تُفرّغ هذا الأسبوع.",
            "النفايات متراكمة بجانب الحاوية بعد عطلة نهاية الأسبوع.",
        ],
        "en": [
            "Bin has been overflowing for three days, rubbish all over the street.",
            "The large container at the end of the road was not emptied this week.",
            "Cats tear the bags open around the full bin, it smells badly.",
        ],
    },
    "damaged-bin": {
        "ar": [
            "الحاوية محترقة بالكامل ولا يمكن استخدامها.",
            "غطاء الحاوية مكسور والنفايات تتطاير مع الرياح.",
            "الحاوية التي كانت أمام المنزل اختفت منذ أسبوعين.",
        ],
        "en": [
            "The bin outside our house was burnt and cannot be used.",
            "Bin lid broken, the wind blows rubbish down the street.",
        ],
    },
    "bulky-waste": {
        "ar": [
            "أثاث قديم (كنب وخزانة) أمام المنزل ونرجو رفعه.",
            "ثلاجة وغسالة قديمتان للرفع.",
            "مخلفات تقليم أشجار النخيل أمام المنزل.",
        ],
        "en": [
            "Old sofa, wardrobe and two mattresses outside the villa for collection.",
            "A broken fridge and washing machine to be picked up.",
        ],
    },
    "illegal-dumping": {
        "ar": [
            "شاحنة ترمي مخلفات بناء في الأرض الفضاء خلف الحي ليلاً.",
            "مخلفات وإطارات مرمية في مجرى الوادي.",
            "أكوام من الردم على جانب الطريق منذ أسبوع.",
        ],
        "en": [
            "A lorry dumps building rubble on the empty plot behind the houses at night.",
            "Old tyres and rubbish thrown into the wadi bed.",
        ],
    },
    "abandoned-vehicle": {
        "ar": [
            "سيارة متروكة منذ أشهر ومغطاة بالغبار وإطاراتها فارغة.",
            "قارب قديم مهمل على جانب الطريق قرب الشاطئ.",
            "شاحنة صغيرة بلا لوحات متوقفة منذ مدة طويلة.",
        ],
        "en": [
            "Car left for months, covered in dust with flat tyres.",
            "An old boat abandoned by the road near the beach.",
        ],
    },
    "dead-animal": {
        "ar": [
            "قط نافق على الطريق الرئيسي قرب الإشارة.",
            "كلب نافق على الرصيف منذ الصباح.",
            "جمل نافق على جانب الطريق خارج الحي.",
        ],
        "en": ["Dead cat in the middle of the road.", "A dead dog on the pavement since morning."],
    },
    "street-cleaning": {
        "ar": [
            "رمال متراكمة على الشارع بعد العاصفة الترابية.",
            "نفايات متناثرة في الساحة بعد المهرجان.",
            "بقعة زيت كبيرة على الطريق عند محطة الوقود.",
        ],
        "en": [
            "Sand drifts across the road after the dust storm.",
            "The square is full of litter after the weekend.",
        ],
    },
    "park-equipment": {
        "ar": [
            "الأرجوحة مكسورة في حديقة الحي وحوافها حادة.",
            "مقاعد الحديقة مكسورة والسياج مفتوح على الشارع.",
            "جهاز رياضي مفكوك في ممشى الحديقة.",
        ],
        "en": [
            "The swing in the neighbourhood park is broken, sharp metal edges.",
            "Park fence is open onto the road, children can run out.",
        ],
    },
    "irrigation-leak": {
        "ar": [
            "أنبوب ري مكسور في الجزيرة الوسطية والمياه تجري على الطريق.",
            "رشاش الري يعمل في منتصف النهار ويغرق الرصيف.",
        ],
        "en": [
            "Broken irrigation pipe on the median, water running onto the road.",
            "Sprinkler stuck on, the footpath is flooded every day.",
        ],
    },
    "fallen-tree": {
        "ar": [
            "شجرة ساقطة بعد الرياح القوية تغلق الطريق.",
            "أغصان مكسورة معلقة فوق الرصيف قد تسقط على المارة.",
            "نخلة مائلة على سيارة متوقفة.",
        ],
        "en": [
            "A tree came down in the wind and blocks the road.",
            "Broken branches hanging over the footpath.",
        ],
    },
    "beach-cleanliness": {
        "ar": [
            "بقايا شواء وأكياس بلاستيك على الشاطئ بعد العطلة.",
            "شباك صيد قديمة متروكة على الرمل.",
            "أسماك نافقة على الشاطئ والرائحة قوية.",
        ],
        "en": [
            "Barbecue remains and plastic bags all over the beach after the holiday.",
            "Old fishing nets left on the sand.",
        ],
    },
    "food-establishment": {
        "ar": [
            "المطبخ غير نظيف والعمال لا يرتدون القفازات.",
            "اشتريت منتجاً منتهي الصلاحية من البقالة.",
            "أصيب أفراد العائلة بتسمم بعد العشاء في المطعم.",
        ],
        "en": [
            "Saw cockroaches in the kitchen area of the restaurant.",
            "The grocery sells dairy products past their expiry date.",
        ],
    },
    "pests": {
        "ar": [
            "انتشار كبير للبعوض في الحي بسبب المياه الراكدة.",
            "فئران تخرج من فتحات التصريف ليلاً.",
            "ذباب كثيف حول حاويات السوق.",
        ],
        "en": [
            "Lots of mosquitoes in the neighbourhood since the rain.",
            "Rats coming out of the drains at night near the market.",
        ],
    },
    "stray-animals": {
        "ar": [
            "مجموعة كلاب سائبة تطارد الأطفال في طريقهم إلى المدرسة.",
            "جمال سائبة على الطريق ليلاً، خطر على السيارات.",
            "قطط كثيرة حول المطاعم.",
        ],
        "en": [
            "A pack of stray dogs chases children on their way to school.",
            "Camels wandering on the road at night.",
        ],
    },
    "public-toilet": {
        "ar": [
            "دورة المياه في الحديقة متسخة ولا توجد مياه.",
            "دورة المياه العامة في الكورنيش مغلقة منذ أيام.",
        ],
        "en": ["The public toilet at the park is dirty and has no water."],
    },
    "unlicensed-construction": {
        "ar": [
            "الجار يبني ملحقاً على السطح دون لوحة ترخيص.",
            "أعمال بناء سور يتجاوز حدود الأرض بدون ترخيص ظاهر.",
        ],
        "en": ["An extension is being built on the roof next door with no permit board."],
    },
    "unsafe-site": {
        "ar": [
            "حفرية مكشوفة في موقع بناء بلا سياج قرب المنازل.",
            "المقاول يترك مواد البناء على الرصيف والطريق.",
            "العمل في الموقع مستمر بعد منتصف الليل بأصوات عالية.",
        ],
        "en": [
            "Open excavation on a building site with no fence, next to houses.",
            "The contractor leaves sand and blocks on the road every day.",
        ],
    },
    "encroachment": {
        "ar": [
            "محل يعرض بضائعه على الرصيف بالكامل.",
            "مظلة سيارات مبنية على أرض عامة بجانب المنزل.",
        ],
        "en": ["A shop has taken the whole pavement for its goods."],
    },
}

# Replies are chosen for the case's state (seed.Replay): a reply that promises a visit is
# only given when the work did follow; none names a date or a number of days, so none can
# be read as a promise already broken when the demo is looked at later.
ACKNOWLEDGEMENTS = [
    (
        "تم استلام بلاغكم وإحالته إلى القسم المختص.",
        "We have received your report and passed it to the responsible section.",
    ),
    (
        "شكراً لإبلاغكم، سيزور فريقنا الموقع قريباً.",
        "Thank you for reporting; our team will visit the site soon.",
    ),
]
# For a case that stays acknowledged (no visit yet): no promise of one.
WAITING_ACKNOWLEDGEMENTS = ACKNOWLEDGEMENTS[:1]
PROGRESS_REPLIES = [
    ("الفريق الميداني في الموقع اليوم.", "The field team is on site today."),
    (
        "تم التنسيق مع المقاول، وسنبلغكم عند بدء الأعمال.",
        "We have arranged the work with the contractor; we will tell you when it starts.",
    ),
    ("نحتاج إلى معدات إضافية، نعتذر عن التأخير.", "We need extra equipment; sorry for the delay."),
]
FIXED_MESSAGES = [
    ("تمت معالجة البلاغ. شكراً لتعاونكم.", "The problem has been fixed. Thank you for your help."),
    (
        "أنجز الفريق العمل، نرجو إبلاغنا إن تكررت المشكلة.",
        "The team has finished the work; please tell us if it happens again.",
    ),
]
CLOSE_MESSAGES = {
    "not_municipality": (
        "هذا الموقع من اختصاص جهة أخرى، وقد أحلنا البلاغ إليها.",
        "This falls under another authority; we have passed your report on to them.",
    ),
    "no_action_needed": (
        "عاين الفريق الموقع ولم يجد ما يستدعي التدخل.",
        "Our team inspected the site and found nothing that needs action.",
    ),
    "could_not_locate": (
        "لم يتمكن الفريق من تحديد موقع المشكلة، نرجو إرسال بلاغ جديد بموقع أدق.",
        "The team could not find the problem; please send a new report with a closer location.",
    ),
}
DUPLICATE_MESSAGES = [
    (
        "هذا البلاغ مسجّل مسبقاً وسنتابعه في البلاغ الأصلي.",
        "This was already reported; we follow it up on the original request.",
    ),
]
NOTES = [
    "يحتاج إلى معدات ثقيلة، تم التنسيق مع المقاول.",
    "اتصلت بالمبلّغ وأكد الموقع.",
    "الموقع قريب من مدرسة، أولوية عالية.",
    "بلاغ متكرر في نفس المنطقة، يرجى فحص السبب.",
    "المتصل طلب التواصل بعد الساعة الرابعة.",
    "Checked with the contractor: materials arrive on Sunday.",
    "Caller confirmed the location by phone.",
]
REOPEN_REASONS = [
    ("المشكلة ما زالت قائمة ولم يتم إصلاحها.", "The problem is still there, nothing was fixed."),
    ("تكررت المشكلة بعد يومين من الإصلاح.", "It came back two days after the repair."),
    ("الإصلاح غير مكتمل.", "The repair was only half done."),
]
RATING_COMMENTS = {
    3: [
        ("شكراً على سرعة الاستجابة.", "Thanks for the quick response."),
        ("عمل ممتاز.", "Excellent work."),
    ],
    2: [("تم الإصلاح لكن بعد تأخير.", "Fixed, but it took a while.")],
    1: [
        ("لم يتم حل المشكلة فعلياً.", "The problem was not really solved."),
        ("الرد متأخر جداً.", "The reply came far too late."),
    ],
}
CALLERS = [
    ("حمد الشكيلي", "+96892111222"),
    ("مريم السيابية", "+96895222333"),
    ("يوسف البوسعيدي", "+96899444555"),
    ("شيخة الحبسية", "+96891555666"),
    ("Rajesh Kumar", "+96896333444"),
    ("سلطان الغافري", "+96893666777"),
    ("زينب اللواتية", "+96898777888"),
    ("Sarah Thompson", "+96890888999"),
]
CONTACT_EMAILS = ["hamad@example.om", "maryam@example.om", "resident@example.com", ""]
