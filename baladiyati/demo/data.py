"""Reference data of the demo: Muscat and Sohar, their wilayats, departments and services.

Polygons are drawn by hand from public maps: approximate, but in the right places along the
coast and never overlapping (neighbours share their edges exactly, so the union is one
polygon). Coordinates are [longitude, latitude], as GeoJSON has them.

Holidays are Oman's public holidays. The Islamic ones follow the moon and are announced a few
days ahead; the dates here are the expected ones (Umm al-Qura), to be corrected when the
announcement comes.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

# ---------------------------------------------------------------------------- geography

Ring = list[tuple[float, float]]

# Muscat's coastline, west to east, then south-east towards Qurayyat.
MUSCAT_WILAYATS: list[dict[str, Any]] = [
    {
        "code": "seeb",
        "name_ar": "السيب",
        "name_en": "Al Seeb",
        "ring": [
            (57.95, 23.45),
            (58.25, 23.45),
            (58.25, 23.66),
            (58.15, 23.705),
            (58.05, 23.74),
            (57.95, 23.76),
        ],
        "places": [
            ("السيب", "Al Seeb", 23.675, 58.185, 5),
            ("المعبيلة", "Al Maabilah", 23.645, 58.105, 6),
            ("الموالح", "Al Mawaleh", 23.585, 58.205, 5),
            ("الخوض", "Al Khoudh", 23.57, 58.14, 4),
            ("الحيل", "Al Hail", 23.625, 58.225, 3),
        ],
    },
    {
        "code": "bawshar",
        "name_ar": "بوشر",
        "name_en": "Bawshar",
        "ring": [
            (58.25, 23.45),
            (58.45, 23.45),
            (58.45, 23.52),
            (58.45, 23.625),
            (58.35, 23.625),
            (58.25, 23.66),
        ],
        "places": [
            ("الخوير", "Al Khuwair", 23.595, 58.425, 4),
            ("الغبرة", "Al Ghubrah", 23.59, 58.395, 3),
            ("العذيبة", "Al Azaiba", 23.597, 58.36, 3),
            ("بوشر", "Bawshar", 23.565, 58.40, 3),
            ("الأنصب", "Al Ansab", 23.55, 58.345, 2),
            ("مدينة السلطان قابوس", "Madinat Al Sultan Qaboos", 23.60, 58.44, 2),
        ],
    },
    {
        "code": "muttrah",
        "name_ar": "مطرح",
        "name_en": "Muttrah",
        "ring": [(58.45, 23.52), (58.56, 23.52), (58.56, 23.635), (58.45, 23.625)],
        "places": [
            ("كورنيش مطرح", "Muttrah Corniche", 23.622, 58.55, 3),
            ("روي", "Ruwi", 23.593, 58.545, 4),
            ("وادي الكبير", "Wadi Al Kabir", 23.575, 58.54, 2),
            ("دارسيت", "Darsait", 23.61, 58.535, 2),
            ("الوطية", "Al Wattayah", 23.598, 58.51, 2),
            ("القرم", "Al Qurum", 23.612, 58.48, 3),
        ],
    },
    {
        "code": "muscat",
        "name_ar": "مسقط",
        "name_en": "Muscat",
        "ring": [(58.56, 23.52), (58.70, 23.52), (58.70, 23.57), (58.62, 23.605), (58.56, 23.635)],
        "places": [
            ("مسقط القديمة", "Old Muscat", 23.611, 58.59, 1),
            ("سداب", "Sidab", 23.598, 58.607, 1),
            ("البستان", "Al Bustan", 23.577, 58.608, 1),
            ("قنتب", "Qantab", 23.558, 58.635, 1),
            ("يتي", "Yiti", 23.535, 58.672, 1),
        ],
    },
    {
        "code": "amerat",
        "name_ar": "العامرات",
        "name_en": "Al Amerat",
        "ring": [
            (58.45, 23.25),
            (58.70, 23.25),
            (58.70, 23.52),
            (58.56, 23.52),
            (58.45, 23.52),
            (58.45, 23.45),
        ],
        "places": [
            ("العامرات", "Al Amerat", 23.48, 58.50, 3),
            ("المحج", "Al Mahaj", 23.455, 58.525, 2),
            ("النهضة", "Al Nahdha", 23.44, 58.555, 2),
            ("الحاجر", "Al Hajir", 23.40, 58.48, 1),
        ],
    },
    {
        "code": "qurayyat",
        "name_ar": "قريات",
        "name_en": "Qurayyat",
        "ring": [
            (58.70, 23.05),
            (59.02, 23.05),
            (59.02, 23.17),
            (58.95, 23.26),
            (58.88, 23.35),
            (58.80, 23.47),
            (58.70, 23.57),
            (58.70, 23.52),
            (58.70, 23.25),
        ],
        "places": [
            ("قريات", "Qurayyat", 23.265, 58.895, 2),
            ("حيل الغاف", "Hayl Al Ghaf", 23.30, 58.785, 1),
            ("المسفاة", "Al Misfah", 23.20, 58.85, 1),
        ],
    },
]

# Sohar: three areas between the sea and the Batinah plain.
SOHAR_DISTRICTS: list[dict[str, Any]] = [
    {
        "code": "majis",
        "name_ar": "مجيص",
        "name_en": "Majis",
        "ring": [(56.58, 24.53), (56.48, 24.46), (56.57, 24.37), (56.67, 24.44)],
        "places": [("مجيص", "Majis", 24.47, 56.59, 2), ("الهمبار", "Al Hambar", 24.41, 56.61, 2)],
    },
    {
        "code": "sohar-centre",
        "name_ar": "صحار المركز",
        "name_en": "Sohar Centre",
        "ring": [(56.67, 24.44), (56.57, 24.37), (56.66, 24.26), (56.76, 24.33)],
        "places": [
            ("الطريف", "Al Tareef", 24.35, 56.70, 3),
            ("السوق", "Sohar Souq", 24.36, 56.71, 2),
        ],
    },
    {
        "code": "falaj-al-qabail",
        "name_ar": "فلج القبائل",
        "name_en": "Falaj Al Qabail",
        "ring": [(56.76, 24.33), (56.66, 24.26), (56.74, 24.15), (56.84, 24.22)],
        "places": [
            ("فلج القبائل", "Falaj Al Qabail", 24.28, 56.75, 2),
            ("العوينات", "Al Uwainat", 24.24, 56.76, 1),
        ],
    },
]


def polygon(ring: Ring) -> dict[str, Any]:
    """A GeoJSON Polygon from an open ring of (lon, lat) points."""
    coordinates = [[lon, lat] for lon, lat in ring]
    return {"type": "Polygon", "coordinates": [[*coordinates, coordinates[0]]]}


# ---------------------------------------------------------------------------- municipalities

MUSCAT: dict[str, Any] = {
    "slug": "muscat",
    "code": "MCT",
    "name_ar": "بلدية مسقط",
    "name_en": "Muscat Municipality",
    "timezone": "Asia/Muscat",
    "currency": "OMR",
    "currency_decimals": 3,
    "contact_number": "1111",
    "email": "info@muscat.baladiyati.example",
    "website": "https://www.mm.gov.om",
    "districts": MUSCAT_WILAYATS,
    "departments": ["roads", "waste", "lighting", "parks", "health", "building"],
    "services": None,  # all of SERVICES
}

SOHAR: dict[str, Any] = {
    "slug": "sohar",
    "code": "SOH",
    "name_ar": "بلدية صحار",
    "name_en": "Sohar Municipality",
    "timezone": "Asia/Muscat",
    "currency": "OMR",
    "currency_decimals": 3,
    "contact_number": "1111",
    "email": "info@sohar.baladiyati.example",
    "website": "",
    "districts": SOHAR_DISTRICTS,
    "departments": ["roads", "waste", "lighting"],
    "services": [
        "pothole",
        "road-sign",
        "streetlight-out",
        "bin-overflow",
        "illegal-dumping",
        "dead-animal",
    ],
}

DEPARTMENTS: dict[str, tuple[str, str]] = {
    "roads": ("دائرة الطرق", "Roads"),
    "waste": ("دائرة النظافة وإدارة النفايات", "Cleanliness and Waste"),
    "lighting": ("دائرة الإنارة العامة", "Street Lighting"),
    "parks": ("دائرة الحدائق والمسطحات الخضراء", "Parks and Green Spaces"),
    "health": ("دائرة الصحة العامة", "Public Health"),
    "building": ("دائرة الرقابة على البناء", "Building Control"),
}

SERVICE_GROUPS: list[tuple[str, str, str]] = [
    ("streets", "الطرق والشوارع", "Roads and streets"),
    ("lighting", "الإنارة العامة", "Street lighting"),
    ("cleanliness", "النظافة والنفايات", "Cleanliness and waste"),
    ("green", "الحدائق والشواطئ", "Parks and beaches"),
    ("health", "الصحة العامة", "Public health"),
    ("building", "البناء والتعديات", "Building and encroachments"),
]

# ---------------------------------------------------------------------------- questions

HAZARDS_LIGHT = [
    ("wires", "أسلاك كهربائية مكشوفة", "Exposed electric wires"),
    ("dark_junction", "تقاطع أو ممر مشاة مظلم", "Dark junction or crossing"),
    ("flickering", "المصباح يومض", "The lamp flickers"),
]
BIN_TYPES = [
    ("large_1100", "حاوية كبيرة (1100 لتر)", "Large container (1,100 L)"),
    ("wheelie_240", "حاوية صغيرة بعجلات (240 لتر)", "Wheelie bin (240 L)"),
    ("skip", "حاوية مفتوحة (سكيب)", "Open skip"),
    ("recycling", "حاوية إعادة التدوير", "Recycling bin"),
]


def q(
    code: str,
    datatype: str,
    ar: str,
    en: str,
    *,
    required: bool = False,
    hint: tuple[str, str] = ("", ""),
    values: list[tuple[str, str, str]] | None = None,
) -> dict[str, Any]:
    return {
        "code": code,
        "datatype": datatype,
        "required": required,
        "description_ar": ar,
        "description_en": en,
        "datatype_description_ar": hint[0],
        "datatype_description_en": hint[1],
        "values": [{"key": k, "name_ar": a, "name_en": e} for k, a, e in values or []],
    }


def noticed() -> dict[str, Any]:
    return q(
        "noticed_at",
        "datetime",
        "متى لاحظت المشكلة؟",
        "When did you notice it?",
        hint=("التاريخ والوقت التقريبي", "Approximate date and time"),
    )


POLE = q(
    "pole_number",
    "string",
    "رقم عمود الإنارة",
    "Light pole number",
    required=True,
    hint=("الرقم المكتوب على العمود، مثل MCT-L-0412", "Painted on the pole, e.g. MCT-L-0412"),
)

# ---------------------------------------------------------------------------- services

SERVICES: list[dict[str, Any]] = [
    {
        "code": "pothole",
        "group": "streets",
        "department": "roads",
        "sla_hours": 21,
        "name_ar": "حفرة في الطريق",
        "name_en": "Pothole",
        "description_ar": "حفرة أو هبوط في سطح طريق معبّد.",
        "description_en": "A hole or a sunken patch in a paved road.",
        "keywords_ar": "حفرة، هبوط، أسفلت، طريق، شارع، تشقق",
        "keywords_en": "pothole, hole, asphalt, road, street, sinkhole, crack",
        "notice_ar": "إذا كانت الحفرة خطراً مباشراً على السير فاتصل على 1111.",
        "notice_en": "If the hole is an immediate danger to traffic, call 1111.",
        "weight": 14,
        "questions": [
            q(
                "size",
                "singlevaluelist",
                "ما حجم الحفرة؟",
                "How big is the pothole?",
                required=True,
                values=[
                    ("small", "صغيرة (أقل من 30 سم)", "Small (under 30 cm)"),
                    ("medium", "متوسطة (30–60 سم)", "Medium (30–60 cm)"),
                    ("large", "كبيرة (أكثر من 60 سم)", "Large (over 60 cm)"),
                ],
            ),
            q(
                "position",
                "singlevaluelist",
                "أين تقع الحفرة؟",
                "Where is it?",
                values=[
                    ("lane", "في مسار السير", "In a driving lane"),
                    ("shoulder", "على كتف الطريق", "On the shoulder"),
                    ("roundabout", "في دوار", "On a roundabout"),
                    ("parking", "في موقف سيارات", "In a car park"),
                ],
            ),
            noticed(),
        ],
    },
    {
        "code": "damaged-pavement",
        "group": "streets",
        "department": "roads",
        "sla_hours": 35,
        "name_ar": "رصيف متضرر",
        "name_en": "Damaged pavement",
        "description_ar": "بلاط رصيف مكسور أو مرتفع أو مفقود يعيق المشاة.",
        "description_en": "Broken, lifted or missing paving that gets in pedestrians' way.",
        "keywords_ar": "رصيف، بلاط، مشاة، انترلوك",
        "keywords_en": "pavement, sidewalk, footpath, paving, kerb, interlock",
        "weight": 5,
        "questions": [
            q(
                "hazards",
                "multivaluelist",
                "ما الخطر؟",
                "What is the danger?",
                values=[
                    ("trip", "قد يتعثر به المشاة", "People may trip"),
                    (
                        "wheelchair",
                        "يعيق الكراسي المتحركة وعربات الأطفال",
                        "Blocks wheelchairs and prams",
                    ),
                    ("school", "قرب مدرسة", "Near a school"),
                ],
            ),
            q("length_m", "number", "الطول التقريبي بالأمتار", "Approximate length in metres"),
        ],
    },
    {
        "code": "road-sign",
        "group": "streets",
        "department": "roads",
        "sla_hours": 28,
        "name_ar": "لوحة مرورية تالفة أو مفقودة",
        "name_en": "Damaged or missing road sign",
        "description_ar": "لوحة مرورية أو لوحة اسم شارع ساقطة أو باهتة أو مفقودة.",
        "description_en": "A traffic or street-name sign that has fallen, faded or gone.",
        "keywords_ar": "لوحة، إشارة، مرور، اسم الشارع",
        "keywords_en": "sign, traffic sign, street name, signpost",
        "weight": 3,
        "questions": [
            q(
                "sign_type",
                "singlevaluelist",
                "نوع اللوحة",
                "Kind of sign",
                values=[
                    ("stop", "قف", "Stop"),
                    ("give_way", "أفسح الطريق", "Give way"),
                    ("speed", "حد السرعة", "Speed limit"),
                    ("direction", "لوحة إرشادية", "Direction sign"),
                    ("street_name", "اسم الشارع أو السكة", "Street or way name"),
                ],
            ),
            q(
                "condition",
                "singlevaluelist",
                "حالة اللوحة",
                "Condition of the sign",
                required=True,
                values=[
                    ("missing", "مفقودة", "Missing"),
                    ("fallen", "ساقطة", "Fallen"),
                    ("faded", "باهتة", "Faded"),
                    ("bent", "مائلة أو منحنية", "Bent or turned"),
                ],
            ),
        ],
    },
    {
        "code": "speed-bump",
        "group": "streets",
        "department": "roads",
        "sla_hours": 70,
        "name_ar": "طلب مطب أو تهدئة سرعة",
        "name_en": "Speed bump request",
        "description_ar": "طلب مطب صناعي أو وسيلة تهدئة في شارع سكني.",
        "description_en": "Ask for a speed bump or traffic calming on a residential street.",
        "keywords_ar": "مطب، سرعة، تهدئة، حوادث",
        "keywords_en": "speed bump, hump, traffic calming, speeding",
        "notice_ar": "تدرس الدائرة الطلب ميدانياً قبل الموافقة.",
        "notice_en": "The department surveys the street before deciding.",
        "weight": 2,
        "questions": [
            q(
                "near",
                "singlevaluelist",
                "ما الذي يقع بالقرب؟",
                "What is nearby?",
                required=True,
                values=[
                    ("school", "مدرسة", "A school"),
                    ("mosque", "مسجد", "A mosque"),
                    ("park", "حديقة", "A park"),
                    ("homes", "منازل فقط", "Homes only"),
                ],
            ),
            q(
                "accidents",
                "number",
                "عدد الحوادث التي تعرفها خلال السنة الماضية",
                "Accidents you know of in the past year",
            ),
        ],
    },
    {
        "code": "drain-cover",
        "group": "streets",
        "department": "roads",
        "sla_hours": 7,
        "name_ar": "غطاء تصريف مفقود أو مكسور",
        "name_en": "Missing or broken drain cover",
        "description_ar": "غطاء فتحة تصريف أو منهل مفقود أو مكسور.",
        "description_en": "A drain or manhole cover that is missing or broken.",
        "keywords_ar": "غطاء، منهل، فتحة، تصريف، مجاري",
        "keywords_en": "drain, manhole, cover, grate, gully",
        "notice_ar": "ضع علامة تحذير إن أمكن، واتصل على 1111 إذا كانت الفتحة في مسار السير.",
        "notice_en": "Mark it if you safely can, and call 1111 if it is in a driving lane.",
        "weight": 3,
        "questions": [
            q(
                "hazards",
                "multivaluelist",
                "ما الخطر؟",
                "What is the danger?",
                required=True,
                values=[
                    ("open_hole", "فتحة مكشوفة بالكامل", "A fully open hole"),
                    ("carriageway", "في مسار السير", "In the carriageway"),
                    ("footpath", "على ممر المشاة", "On the footpath"),
                    ("school", "قرب مدرسة", "Near a school"),
                ],
            ),
            noticed(),
        ],
    },
    {
        "code": "rainwater",
        "group": "streets",
        "department": "roads",
        "sla_hours": 7,
        "name_ar": "تجمع مياه الأمطار",
        "name_en": "Standing rainwater",
        "description_ar": "مياه أمطار متجمعة في شارع أو نفق أو تقاطع.",
        "description_en": "Rainwater standing on a street, in an underpass or at a junction.",
        "keywords_ar": "أمطار، مياه، تجمع، فيضان، وادي",
        "keywords_en": "rain, water, flooding, puddle, wadi",
        "notice_ar": "لا تعبر الأودية الجارية. للطوارئ اتصل على 9999.",
        "notice_en": "Never cross a running wadi. In an emergency call 9999.",
        "weight": 3,
        "questions": [
            q(
                "depth",
                "singlevaluelist",
                "عمق المياه",
                "How deep is the water?",
                required=True,
                values=[
                    ("ankle", "حتى الكاحل", "Ankle deep"),
                    ("knee", "حتى الركبة", "Knee deep"),
                    ("deeper", "أعمق من الركبة", "Deeper than the knee"),
                ],
            ),
            q(
                "blocking",
                "singlevaluelist",
                "ما الذي تغلقه المياه؟",
                "What does it block?",
                values=[
                    ("road", "الطريق كاملاً", "The whole road"),
                    ("lane", "مساراً واحداً", "One lane"),
                    ("pavement", "الرصيف فقط", "The pavement only"),
                ],
            ),
        ],
    },
    {
        "code": "streetlight-out",
        "group": "lighting",
        "department": "lighting",
        "sla_hours": 21,
        "name_ar": "إنارة شارع معطلة",
        "name_en": "Street light out",
        "description_ar": "مصباح إنارة شارع لا يعمل ليلاً.",
        "description_en": "A street light that does not come on at night.",
        "keywords_ar": "إنارة، مصباح، عمود، ظلام، كهرباء",
        "keywords_en": "street light, lamp, light pole, dark, lighting",
        "weight": 10,
        "questions": [
            POLE,
            q(
                "lights_out",
                "number",
                "كم مصباحاً متتالياً لا يعمل؟",
                "How many lights in a row are out?",
            ),
            q(
                "hazards",
                "multivaluelist",
                "هل هناك خطر؟",
                "Is there a danger?",
                values=HAZARDS_LIGHT,
            ),
        ],
    },
    {
        "code": "streetlight-day",
        "group": "lighting",
        "department": "lighting",
        "sla_hours": 35,
        "name_ar": "إنارة تعمل نهاراً",
        "name_en": "Street light on in daytime",
        "description_ar": "مصابيح إنارة تبقى مضاءة خلال النهار.",
        "description_en": "Street lights that stay on during the day.",
        "keywords_ar": "إنارة، نهار، هدر، كهرباء",
        "keywords_en": "street light, daytime, day burner, waste",
        "weight": 2,
        "questions": [POLE],
    },
    {
        "code": "damaged-pole",
        "group": "lighting",
        "department": "lighting",
        "sla_hours": 14,
        "name_ar": "عمود إنارة مائل أو متضرر",
        "name_en": "Leaning or damaged light pole",
        "description_ar": "عمود إنارة مائل أو مصدوم أو بابه مفتوح.",
        "description_en": "A light pole that leans, was hit, or has its door open.",
        "keywords_ar": "عمود، إنارة، مائل، حادث، أسلاك",
        "keywords_en": "light pole, column, leaning, knocked down, wires",
        "notice_ar": "ابتعد عن الأسلاك المكشوفة واتصل على 1111.",
        "notice_en": "Keep away from exposed wires and call 1111.",
        "weight": 2,
        "questions": [
            {**POLE, "required": False},
            q(
                "hazards",
                "multivaluelist",
                "ما حالة العمود؟",
                "What is wrong with it?",
                required=True,
                values=[
                    ("leaning", "مائل نحو الطريق", "Leaning over the road"),
                    ("hit", "صدمته مركبة", "Hit by a vehicle"),
                    ("wires", "أسلاك مكشوفة", "Exposed wires"),
                    ("door", "باب القاعدة مفقود", "Base door missing"),
                ],
            ),
        ],
    },
    {
        "code": "bin-overflow",
        "group": "cleanliness",
        "department": "waste",
        "sla_hours": 14,
        "name_ar": "حاوية نفايات ممتلئة",
        "name_en": "Overflowing bin",
        "description_ar": "حاوية نفايات ممتلئة أو النفايات متراكمة حولها.",
        "description_en": "A full bin, or rubbish piling up around it.",
        "keywords_ar": "حاوية، نفايات، قمامة، زبالة، ممتلئة",
        "keywords_en": "bin, rubbish, garbage, trash, waste, overflowing",
        "weight": 13,
        "questions": [
            q(
                "bin_type",
                "singlevaluelist",
                "نوع الحاوية",
                "Type of bin",
                required=True,
                values=BIN_TYPES,
            ),
            q(
                "days_full",
                "number",
                "منذ كم يوماً وهي ممتلئة؟",
                "For how many days has it been full?",
            ),
        ],
    },
    {
        "code": "damaged-bin",
        "group": "cleanliness",
        "department": "waste",
        "sla_hours": 35,
        "name_ar": "حاوية تالفة أو مفقودة",
        "name_en": "Damaged or missing bin",
        "description_ar": "حاوية نفايات مكسورة أو محترقة أو مفقودة.",
        "description_en": "A bin that is broken, burnt or missing.",
        "keywords_ar": "حاوية، مكسورة، محترقة، مفقودة، غطاء",
        "keywords_en": "bin, broken, burnt, missing, lid, wheels",
        "weight": 3,
        "questions": [
            q(
                "bin_type",
                "singlevaluelist",
                "نوع الحاوية",
                "Type of bin",
                required=True,
                values=BIN_TYPES,
            ),
            q(
                "problem",
                "singlevaluelist",
                "ما المشكلة؟",
                "What is wrong?",
                values=[
                    ("missing", "مفقودة", "Missing"),
                    ("lid", "الغطاء مكسور", "Broken lid"),
                    ("wheels", "العجلات مكسورة", "Broken wheels"),
                    ("burnt", "محترقة", "Burnt"),
                ],
            ),
        ],
    },
    {
        "code": "bulky-waste",
        "group": "cleanliness",
        "department": "waste",
        "sla_hours": 28,
        "name_ar": "رفع مخلفات كبيرة الحجم",
        "name_en": "Bulky waste collection",
        "description_ar": "طلب رفع أثاث أو أجهزة قديمة أو مخلفات حدائق من أمام المنزل.",
        "description_en": "Ask for old furniture, appliances or garden waste to be collected.",
        "keywords_ar": "أثاث، أجهزة، مخلفات، رفع، كنب، فراش",
        "keywords_en": "bulky, furniture, appliance, mattress, sofa, collection",
        "notice_ar": "ضع المخلفات أمام المنزل دون إعاقة الطريق.",
        "notice_en": "Leave the items outside your home without blocking the road.",
        "weight": 5,
        "questions": [
            q("items", "number", "عدد القطع", "Number of items", required=True),
            q(
                "item_types",
                "multivaluelist",
                "ما نوع المخلفات؟",
                "What is there to collect?",
                required=True,
                values=[
                    ("furniture", "أثاث", "Furniture"),
                    ("mattress", "فراش", "Mattresses"),
                    ("appliances", "أجهزة كهربائية", "Appliances"),
                    ("garden", "مخلفات حدائق", "Garden waste"),
                ],
            ),
            q(
                "ready_from",
                "datetime",
                "متى تكون المخلفات جاهزة للرفع؟",
                "From when can we collect?",
            ),
        ],
    },
    {
        "code": "illegal-dumping",
        "group": "cleanliness",
        "department": "waste",
        "sla_hours": 21,
        "name_ar": "رمي مخلفات في غير أماكنها",
        "name_en": "Illegal dumping",
        "description_ar": "مخلفات بناء أو نفايات مرمية في أرض فضاء أو وادٍ أو جانب طريق.",
        "description_en": "Building rubble or rubbish dumped on open land, in a wadi or by a road.",
        "keywords_ar": "رمي، مخلفات، بناء، ردم، وادي، أرض فضاء",
        "keywords_en": "fly-tipping, dumping, rubble, debris, wadi",
        "weight": 6,
        "questions": [
            q(
                "waste_type",
                "multivaluelist",
                "نوع المخلفات",
                "Type of waste",
                required=True,
                values=[
                    ("construction", "مخلفات بناء", "Building rubble"),
                    ("household", "نفايات منزلية", "Household rubbish"),
                    ("garden", "مخلفات حدائق", "Garden waste"),
                    ("tyres", "إطارات", "Tyres"),
                    ("scrap", "خردة", "Scrap metal"),
                ],
            ),
            noticed(),
            q(
                "vehicle_plate",
                "string",
                "رقم المركبة إن رأيتها",
                "Vehicle plate, if you saw one",
                hint=("مثل 12345 أ ب", "e.g. 12345 AB"),
            ),
        ],
    },
    {
        "code": "abandoned-vehicle",
        "group": "cleanliness",
        "department": "waste",
        "sla_hours": 70,
        "name_ar": "مركبة مهملة",
        "name_en": "Abandoned vehicle",
        "description_ar": "مركبة متروكة منذ مدة طويلة ومغطاة بالغبار.",
        "description_en": "A vehicle left for a long time, covered in dust.",
        "keywords_ar": "سيارة، مركبة، مهملة، متروكة، غبار",
        "keywords_en": "abandoned, car, vehicle, dusty, left",
        "notice_ar": "يُلصق إنذار على المركبة قبل رفعها بأربعة عشر يوماً.",
        "notice_en": "A notice is stuck on the vehicle fourteen days before it is removed.",
        "weight": 3,
        "questions": [
            q(
                "vehicle_type",
                "singlevaluelist",
                "نوع المركبة",
                "Type of vehicle",
                values=[
                    ("car", "سيارة", "Car"),
                    ("pickup", "بيك أب", "Pick-up"),
                    ("truck", "شاحنة", "Truck"),
                    ("boat", "قارب", "Boat"),
                ],
            ),
            q(
                "plate",
                "string",
                "رقم اللوحة",
                "Plate number",
                hint=("مثل 12345 أ ب", "e.g. 12345 AB"),
            ),
            q("days", "number", "منذ كم يوماً تقريباً؟", "For about how many days?"),
        ],
    },
    {
        "code": "dead-animal",
        "group": "cleanliness",
        "department": "waste",
        "sla_hours": 7,
        "name_ar": "حيوان نافق",
        "name_en": "Dead animal",
        "description_ar": "حيوان نافق على طريق أو رصيف أو شاطئ.",
        "description_en": "A dead animal on a road, pavement or beach.",
        "keywords_ar": "حيوان، نافق، جيفة، قط، كلب",
        "keywords_en": "dead animal, carcass, roadkill, cat, dog",
        "weight": 3,
        "questions": [
            q(
                "animal",
                "singlevaluelist",
                "ما الحيوان؟",
                "Which animal?",
                required=True,
                values=[
                    ("cat", "قط", "Cat"),
                    ("dog", "كلب", "Dog"),
                    ("goat", "ماعز أو خروف", "Goat or sheep"),
                    ("camel", "جمل", "Camel"),
                    ("bird", "طائر", "Bird"),
                    ("other", "غير ذلك", "Other"),
                ],
            ),
            q(
                "where",
                "singlevaluelist",
                "أين هو؟",
                "Where is it?",
                values=[
                    ("road", "على الطريق", "On the road"),
                    ("pavement", "على الرصيف", "On the pavement"),
                    ("beach", "على الشاطئ", "On the beach"),
                    ("wadi", "في وادٍ", "In a wadi"),
                ],
            ),
        ],
    },
    {
        "code": "street-cleaning",
        "group": "cleanliness",
        "department": "waste",
        "sla_hours": 21,
        "name_ar": "تنظيف شارع أو ساحة",
        "name_en": "Street or square cleaning",
        "description_ar": "رمال أو نفايات متراكمة في شارع أو ساحة عامة.",
        "description_en": "Sand or litter building up on a street or public square.",
        "keywords_ar": "تنظيف، كنس، رمال، نفايات، شارع",
        "keywords_en": "cleaning, sweeping, sand, litter, street",
        "weight": 4,
        "questions": [
            q(
                "litter",
                "multivaluelist",
                "ما الذي يحتاج إلى تنظيف؟",
                "What needs clearing?",
                values=[
                    ("sand", "رمال", "Sand"),
                    ("litter", "نفايات متناثرة", "Litter"),
                    ("leaves", "أوراق أشجار", "Leaves"),
                    ("oil", "بقعة زيت", "Oil spill"),
                ],
            ),
        ],
    },
    {
        "code": "park-equipment",
        "group": "green",
        "department": "parks",
        "sla_hours": 35,
        "name_ar": "لعبة أو مرفق متضرر في حديقة",
        "name_en": "Damaged park equipment",
        "description_ar": "لعبة أطفال أو مقعد أو سياج مكسور في حديقة عامة.",
        "description_en": "A broken play item, bench or fence in a public park.",
        "keywords_ar": "حديقة، ألعاب، أطفال، مقعد، أرجوحة، سياج",
        "keywords_en": "park, playground, swing, slide, bench, fence",
        "weight": 3,
        "questions": [
            q(
                "equipment",
                "singlevaluelist",
                "ما المرفق؟",
                "Which equipment?",
                required=True,
                values=[
                    ("swing", "أرجوحة", "Swing"),
                    ("slide", "زحليقة", "Slide"),
                    ("bench", "مقعد", "Bench"),
                    ("fence", "سياج", "Fence"),
                    ("fitness", "أجهزة رياضية", "Fitness equipment"),
                ],
            ),
            q(
                "hazards",
                "multivaluelist",
                "هل فيه خطر على الأطفال؟",
                "Is it dangerous for children?",
                values=[
                    ("sharp", "حواف حادة", "Sharp edges"),
                    ("loose", "أجزاء مفكوكة", "Loose parts"),
                    ("glass", "زجاج مكسور", "Broken glass"),
                ],
            ),
        ],
    },
    {
        "code": "irrigation-leak",
        "group": "green",
        "department": "parks",
        "sla_hours": 14,
        "name_ar": "تسرب مياه الري",
        "name_en": "Irrigation leak",
        "description_ar": "أنبوب ري مكسور أو رشاش يهدر المياه في حديقة أو جزيرة وسطية.",
        "description_en": "A broken irrigation pipe or sprinkler wasting water in a park.",
        "keywords_ar": "ري، تسرب، مياه، أنبوب، رشاش",
        "keywords_en": "irrigation, leak, water, pipe, sprinkler",
        "weight": 3,
        "questions": [
            q(
                "severity",
                "singlevaluelist",
                "كمية التسرب",
                "How bad is the leak?",
                required=True,
                values=[
                    ("dripping", "تنقيط", "Dripping"),
                    ("running", "جريان مستمر", "Running"),
                    ("flooding", "المياه تغمر الطريق", "Flooding the road"),
                ],
            ),
        ],
    },
    {
        "code": "fallen-tree",
        "group": "green",
        "department": "parks",
        "sla_hours": 7,
        "name_ar": "شجرة ساقطة أو أغصان خطرة",
        "name_en": "Fallen tree or dangerous branches",
        "description_ar": "شجرة ساقطة أو أغصان مكسورة تهدد المارة أو المركبات.",
        "description_en": "A fallen tree, or broken branches threatening people or cars.",
        "keywords_ar": "شجرة، أغصان، ساقطة، رياح",
        "keywords_en": "tree, branch, fallen, storm, wind",
        "weight": 2,
        "questions": [
            q(
                "blocking",
                "singlevaluelist",
                "ما الذي تغلقه؟",
                "What does it block?",
                required=True,
                values=[
                    ("road", "الطريق", "The road"),
                    ("pavement", "الرصيف", "The pavement"),
                    ("nothing", "لا شيء", "Nothing"),
                ],
            ),
            q(
                "hazards",
                "multivaluelist",
                "مخاطر إضافية",
                "Other dangers",
                values=[
                    ("power_lines", "قرب أسلاك كهرباء", "Near power lines"),
                    ("on_vehicle", "سقطت على مركبة", "Fell on a vehicle"),
                    ("on_building", "سقطت على مبنى", "Fell on a building"),
                ],
            ),
        ],
    },
    {
        "code": "beach-cleanliness",
        "group": "green",
        "department": "parks",
        "sla_hours": 21,
        "name_ar": "نظافة الشاطئ",
        "name_en": "Beach cleanliness",
        "description_ar": "نفايات أو بقايا شواء أو شباك صيد على الشاطئ.",
        "description_en": "Litter, barbecue remains or fishing nets on the beach.",
        "keywords_ar": "شاطئ، بحر، نفايات، شواء، شباك",
        "keywords_en": "beach, sea, litter, barbecue, nets",
        "weight": 3,
        "questions": [
            q(
                "litter",
                "multivaluelist",
                "ما الموجود على الشاطئ؟",
                "What is on the beach?",
                required=True,
                values=[
                    ("plastic", "بلاستيك", "Plastic"),
                    ("bbq", "بقايا شواء", "Barbecue remains"),
                    ("nets", "شباك صيد", "Fishing nets"),
                    ("dead_fish", "أسماك نافقة", "Dead fish"),
                    ("oil", "بقع زيت", "Oil"),
                ],
            ),
        ],
    },
    {
        "code": "food-establishment",
        "group": "health",
        "department": "health",
        "sla_hours": 21,
        "is_private": True,
        "name_ar": "شكوى على منشأة غذائية",
        "name_en": "Food establishment complaint",
        "description_ar": "مطعم أو مقهى أو محل مواد غذائية لا يلتزم بالاشتراطات الصحية.",
        "description_en": "A restaurant, café or grocery that breaks food hygiene rules.",
        "keywords_ar": "مطعم، مقهى، بقالة، نظافة، تسمم، أغذية",
        "keywords_en": "restaurant, cafe, grocery, hygiene, food poisoning",
        "notice_ar": "لا تُنشر هذه البلاغات، ولا يُذكر اسم المبلّغ للمنشأة.",
        "notice_en": "These reports are never published; the shop is not told who reported.",
        "weight": 3,
        "questions": [
            q("establishment", "string", "اسم المنشأة", "Name of the establishment", required=True),
            q(
                "problem",
                "multivaluelist",
                "ما المشكلة؟",
                "What is wrong?",
                required=True,
                values=[
                    ("hygiene", "نظافة المكان", "Dirty premises"),
                    ("expired", "أغذية منتهية الصلاحية", "Expired food"),
                    ("pests", "حشرات أو قوارض", "Insects or rodents"),
                    ("health_cards", "عمال بلا بطاقات صحية", "Workers without health cards"),
                    ("poisoning", "حالة تسمم", "Food poisoning"),
                ],
            ),
            q("visited_at", "datetime", "متى زرت المنشأة؟", "When did you visit?"),
        ],
    },
    {
        "code": "pests",
        "group": "health",
        "department": "health",
        "sla_hours": 28,
        "name_ar": "مكافحة الحشرات والقوارض",
        "name_en": "Insects and rodents",
        "description_ar": "انتشار البعوض أو الفئران أو الصراصير في مكان عام.",
        "description_en": "Mosquitoes, rats or cockroaches spreading in a public place.",
        "keywords_ar": "بعوض، فئران، صراصير، ذباب، رش، مكافحة",
        "keywords_en": "pest control, mosquitoes, rats, cockroaches, flies, spraying",
        "weight": 4,
        "questions": [
            q(
                "pest",
                "singlevaluelist",
                "ما نوع الآفة؟",
                "Which pest?",
                required=True,
                values=[
                    ("mosquitoes", "بعوض", "Mosquitoes"),
                    ("rodents", "فئران", "Rats or mice"),
                    ("cockroaches", "صراصير", "Cockroaches"),
                    ("flies", "ذباب", "Flies"),
                    ("wasps", "دبابير أو نحل", "Wasps or bees"),
                ],
            ),
            q(
                "place",
                "singlevaluelist",
                "أين؟",
                "Where?",
                values=[
                    ("street", "في الشارع", "In the street"),
                    ("public_building", "في مبنى عام", "In a public building"),
                    ("park", "في حديقة", "In a park"),
                    ("standing_water", "قرب مياه راكدة", "Near standing water"),
                ],
            ),
        ],
    },
    {
        "code": "stray-animals",
        "group": "health",
        "department": "health",
        "sla_hours": 35,
        "name_ar": "حيوانات سائبة",
        "name_en": "Stray animals",
        "description_ar": "كلاب أو قطط أو مواشٍ سائبة في حي سكني أو على طريق.",
        "description_en": "Stray dogs, cats or livestock in a neighbourhood or on a road.",
        "keywords_ar": "كلاب، قطط، سائبة، مواشي، جمال",
        "keywords_en": "stray, dogs, cats, livestock, camels",
        "weight": 3,
        "questions": [
            q(
                "animal",
                "singlevaluelist",
                "ما الحيوانات؟",
                "Which animals?",
                required=True,
                values=[
                    ("dogs", "كلاب", "Dogs"),
                    ("cats", "قطط", "Cats"),
                    ("camels", "جمال", "Camels"),
                    ("goats", "ماعز", "Goats"),
                    ("donkeys", "حمير", "Donkeys"),
                ],
            ),
            q("count", "number", "العدد التقريبي", "About how many?"),
            q(
                "aggressive",
                "singlevaluelist",
                "هل هي عدوانية؟",
                "Are they aggressive?",
                values=[
                    ("yes", "نعم", "Yes"),
                    ("no", "لا", "No"),
                ],
            ),
        ],
    },
    {
        "code": "public-toilet",
        "group": "health",
        "department": "health",
        "sla_hours": 21,
        "name_ar": "دورة مياه عامة غير نظيفة",
        "name_en": "Unclean public toilet",
        "description_ar": "دورة مياه عامة متسخة أو معطلة أو مغلقة.",
        "description_en": "A public toilet that is dirty, broken or closed.",
        "keywords_ar": "دورة مياه، حمام، نظافة، عام",
        "keywords_en": "public toilet, restroom, washroom, dirty",
        "weight": 2,
        "questions": [
            q(
                "problem",
                "multivaluelist",
                "ما المشكلة؟",
                "What is wrong?",
                values=[
                    ("dirty", "متسخة", "Dirty"),
                    ("no_water", "لا توجد مياه", "No water"),
                    ("broken", "أدوات معطلة", "Broken fittings"),
                    ("closed", "مغلقة", "Closed"),
                ],
            ),
        ],
    },
    {
        "code": "unlicensed-construction",
        "group": "building",
        "department": "building",
        "sla_hours": 70,
        "is_private": True,
        "name_ar": "بناء دون ترخيص",
        "name_en": "Construction without a permit",
        "description_ar": "أعمال بناء أو توسعة لا تظهر عليها لوحة ترخيص.",
        "description_en": "Building or extension work with no permit board on site.",
        "keywords_ar": "بناء، ترخيص، مخالفة، توسعة، ملحق",
        "keywords_en": "unlicensed, construction, permit, extension, violation",
        "weight": 3,
        "questions": [
            q(
                "stage",
                "singlevaluelist",
                "مرحلة البناء",
                "Stage of the work",
                required=True,
                values=[
                    ("foundations", "أساسات", "Foundations"),
                    ("walls", "جدران", "Walls"),
                    ("roof", "سقف", "Roof"),
                    ("extension", "ملحق أو توسعة", "Extension"),
                    ("fence", "سور", "Boundary wall"),
                ],
            ),
            q(
                "permit_board",
                "singlevaluelist",
                "لوحة الترخيص",
                "Permit board",
                values=[
                    ("none", "لا توجد لوحة", "No board"),
                    ("no_number", "لوحة بلا رقم ترخيص", "A board without a permit number"),
                ],
            ),
            noticed(),
        ],
    },
    {
        "code": "unsafe-site",
        "group": "building",
        "department": "building",
        "sla_hours": 21,
        "name_ar": "موقع إنشاءات غير آمن",
        "name_en": "Unsafe construction site",
        "description_ar": "موقع بناء بلا سياج أو حفريات مكشوفة أو مواد على الطريق.",
        "description_en": "A building site with no fence, open digs or materials on the road.",
        "keywords_ar": "موقع، إنشاءات، حفرية، سياج، سلامة، مقاول",
        "keywords_en": "construction site, excavation, fence, safety, contractor",
        "weight": 3,
        "questions": [
            q(
                "hazards",
                "multivaluelist",
                "ما المخالفة؟",
                "What is unsafe?",
                required=True,
                values=[
                    ("excavation", "حفرية مكشوفة", "Open excavation"),
                    ("no_fence", "لا يوجد سياج", "No fence"),
                    ("debris_road", "مخلفات على الطريق", "Debris on the road"),
                    ("materials_pavement", "مواد بناء على الرصيف", "Materials on the pavement"),
                    ("after_hours", "عمل خارج الأوقات المسموحة", "Work outside permitted hours"),
                ],
            ),
            q("contractor", "string", "اسم المقاول إن ظهر", "Contractor's name, if shown"),
        ],
    },
    {
        "code": "encroachment",
        "group": "building",
        "department": "building",
        "sla_hours": 70,
        "is_private": True,
        "name_ar": "تعدٍّ على أرض أو طريق عام",
        "name_en": "Encroachment on public land",
        "description_ar": "سور أو مظلة أو بضائع تشغل أرضاً عامة أو رصيفاً.",
        "description_en": "A wall, shade or goods taking over public land or a pavement.",
        "keywords_ar": "تعدي، أرض، رصيف، مظلة، سور",
        "keywords_en": "encroachment, public land, pavement, shade, wall",
        "weight": 2,
        "questions": [
            q(
                "encroachment_type",
                "singlevaluelist",
                "نوع التعدي",
                "Kind of encroachment",
                required=True,
                values=[
                    ("fence", "سور أو سياج", "Wall or fence"),
                    ("building", "مبنى أو ملحق", "Building or annex"),
                    ("shade", "مظلة أو موقف", "Shade or parking"),
                    ("goods", "بضائع على الرصيف", "Goods on the pavement"),
                ],
            ),
        ],
    },
]

# Examples for short-text answers (question code → values), so that they read like real ones.
ANSWER_EXAMPLES: dict[str, list[str]] = {
    "pole_number": [
        "MCT-L-0412",
        "MCT-L-1187",
        "MCT-L-2290",
        "MCT-L-3056",
        "MCT-L-0918",
        "SOH-L-0210",
        "MCT-L-4471",
    ],
    "vehicle_plate": ["12345 أ ب", "8871 ر ع", "40211 م س"],
    "plate": ["55120 ب ب", "7781 ع د", "30456 ه ط"],
    "establishment": [
        "مطعم النخيل",
        "مقهى الشاطئ",
        "بقالة الأمانة",
        "مخبز السلطنة",
        "Blue Lagoon Café",
        "Al Noor Grocery",
    ],
    "contractor": ["شركة البناء الحديث", "مؤسسة الريامي للمقاولات", "Gulf Builders LLC"],
}

# ---------------------------------------------------------------------------- calendar

HOLIDAYS: list[tuple[dt.date, str, str]] = [
    (dt.date(2026, 1, 11), "يوم تولي جلالة السلطان مقاليد الحكم", "Accession Day"),
    (dt.date(2026, 1, 16), "ذكرى الإسراء والمعراج", "Isra and Mi'raj"),
    *[(dt.date(2026, 3, d), "إجازة عيد الفطر", "Eid al-Fitr holiday") for d in range(18, 23)],
    *[(dt.date(2026, 5, d), "إجازة عيد الأضحى", "Eid al-Adha holiday") for d in range(26, 31)],
    (dt.date(2026, 6, 16), "رأس السنة الهجرية", "Islamic New Year"),
    (dt.date(2026, 8, 25), "المولد النبوي الشريف", "Prophet's Birthday"),
    (dt.date(2026, 11, 18), "العيد الوطني", "National Day"),
    (dt.date(2026, 11, 19), "العيد الوطني", "National Day"),
    (dt.date(2027, 1, 5), "ذكرى الإسراء والمعراج", "Isra and Mi'raj"),
    (dt.date(2027, 1, 11), "يوم تولي جلالة السلطان مقاليد الحكم", "Accession Day"),
    *[(dt.date(2027, 3, d), "إجازة عيد الفطر", "Eid al-Fitr holiday") for d in range(8, 12)],
    *[(dt.date(2027, 5, d), "إجازة عيد الأضحى", "Eid al-Adha holiday") for d in range(15, 20)],
    (dt.date(2027, 6, 6), "رأس السنة الهجرية", "Islamic New Year"),
    (dt.date(2027, 8, 14), "المولد النبوي الشريف", "Prophet's Birthday"),
    (dt.date(2027, 11, 18), "العيد الوطني", "National Day"),
    (dt.date(2027, 11, 19), "العيد الوطني", "National Day"),
    (dt.date(2027, 12, 25), "ذكرى الإسراء والمعراج", "Isra and Mi'raj"),
]

# ---------------------------------------------------------------------------- people

# Published in the README's Open311 examples: demo only, never on a real installation.
DEMO_APP_KEY = "b311_demo-muscat-app-key-for-local-testing-only"
DEMO_BACKEND_KEY = "b311_demo-muscat-works-system-key-for-local-testing-only"
DEMO_PASSWORD = "baladiyati-demo"
# The demo staff's two-step sign-in key (TOTP, base32), published in the README so that
# anyone can add it to an authenticator app; `manage.py demo_totp <user>` prints the current
# code instead. Demo only: a real installation enrols each person with their own key.
DEMO_TOTP_SECRET = "BALADIYATIDEMOTOTPSECRETKEYABCDE"

# username, first name, last name, role, department code, is_staff
STAFF: dict[str, list[tuple[str, str, str, str, str | None, bool]]] = {
    "muscat": [
        ("fatma", "فاطمة", "البلوشية", "agent", None, False),
        ("khalid", "خالد", "الحارثي", "clerk", "roads", False),
        ("hilal", "هلال", "الرواحي", "supervisor", None, False),
        ("noor", "نور", "الكندية", "permit_reviewer", None, False),
        # One permit reviewer per reviewing department (permits.catalogue.DEPARTMENTS): a
        # round's departments decide in parallel, each its own review only; noor (no
        # department) may decide any of them.
        ("maryam", "مريم", "الزدجالية", "permit_reviewer", "planning", False),
        ("yousuf", "يوسف", "البلوشي", "permit_reviewer", "structural", False),
        ("talal", "طلال", "السيابي", "permit_reviewer", "civil_defence", False),
        ("huda", "هدى", "الراشدية", "permit_reviewer", "environment", False),
        ("ahmed", "أحمد", "المعمري", "admin", None, True),
    ],
    "sohar": [
        ("said", "سعيد", "المقبالي", "supervisor", None, False),
        ("badriya", "بدرية", "الشحية", "clerk", "roads", False),
    ],
}
SUPERUSER = ("root", "مدير", "النظام")

# username, first name, last name, phone (E.164), email
CITIZENS: list[tuple[str, str, str, str, str]] = [
    ("salim", "سالم", "العبري", "+96891234567", "salim@example.om"),
    ("aisha", "عائشة", "الهنائية", "+96899345678", "aisha@example.om"),
]
