"""Addresses and coordinates for the demo organisations (shipped; no geocoding at load time).

Coordinates are plausible positions in the right part of the region, not surveyed addresses.
"""

# name -> list of (location name, street, postcode, city, lat, lng)
KNOWN: dict[str, list[tuple[str, str, str, str, float, float]]] = {
    "RVC de Hef": [("Hoofdlocatie", "Hillevliet 90", "3074 KD", "Rotterdam", 51.8985, 4.5003)],
    "Zuiderpark College": [("Hoofdlocatie", "Slinge 1", "3085 EW", "Rotterdam", 51.8826, 4.4868)],
    "Comenius Beroepen College": [
        ("Hoofdlocatie", "Grift 1", "3075 MR", "Rotterdam", 51.8921, 4.5233)
    ],
    "Vakcollege Hillegersberg": [
        ("Hoofdlocatie", "Kootsekade 20", "3051 PC", "Rotterdam", 51.9526, 4.4867)
    ],
    "Beroepencollege De Swaef": [
        ("Hoofdlocatie", "Oostdijk 20", "3077 BA", "Rotterdam", 51.8851, 4.5414)
    ],
    "Eye College": [
        ("Hoofdlocatie", "Kerklaan 29", "2903 LJ", "Capelle aan den IJssel", 51.9346, 4.5843)
    ],
    "Experience College": [
        ("Spangen", "Bilderdijkstraat 120", "3038 PE", "Rotterdam", 51.9217, 4.4331)
    ],
    "Avicenna College": [
        ("Hoofdlocatie", "Boergoensevliet 100", "3082 JM", "Rotterdam", 51.8803, 4.4741)
    ],
    "STC vmbo college": [
        ("Hoofdlocatie", "Zaagmolenkade 60", "3035 KE", "Rotterdam", 51.9303, 4.4879)
    ],
    "Schreuder College Slinge": [
        ("Hoofdlocatie", "Slinge 25", "3086 EE", "Rotterdam", 51.8738, 4.4797)
    ],
    "Calvijn Zuidermavo": [
        ("Hoofdlocatie", "Nijverheidstraat 12", "3071 GC", "Rotterdam", 51.9012, 4.5018)
    ],
    "Techniek College Rotterdam": [
        ("Schiehaven", "Lloydstraat 300", "3024 EA", "Rotterdam", 51.9066, 4.4511),
        ("Prins Alexander", "Maxwellstraat 10", "3064 KC", "Rotterdam", 51.9513, 4.5401),
    ],
    "Scheepvaart- en Transport College": [
        ("Noord – Lloydkwartier", "Lloydstraat 300", "3024 EA", "Rotterdam", 51.9061, 4.4500),
        ("Zuid – RDM Campus", "Heijplaatstraat 23", "3089 JB", "Rotterdam", 51.8829, 4.4142),
    ],
    "Hout- en Meubileringscollege": [
        ("Hoofdlocatie", "Pieter de Hoochweg 129", "3024 BG", "Rotterdam", 51.9105, 4.4495)
    ],
    "Grafisch Lyceum Rotterdam": [
        ("Hoofdlocatie", "Heer Bokelweg 255", "3032 AD", "Rotterdam", 51.9286, 4.4766)
    ],
    "Lentiz": [("Oostland", "Klappolder 130", "2665 LP", "Bleiswijk", 52.0126, 4.5313)],
    "Hoornbeeck College": [
        ("Rotterdam", "Beverwaardseweg 111", "3077 GH", "Rotterdam", 51.8860, 4.5513)
    ],
    "Stedin": [("Rotterdam", "Blaak 8", "3011 TA", "Rotterdam", 51.9198, 4.4873)],
    "Valk Welding": [
        ("Alblasserdam", "Staalindustrieweg 15", "2952 AT", "Alblasserdam", 51.8620, 4.6521)
    ],
    "Goflex/Vakwijs": [("Rotterdam", "Marconistraat 16", "3029 AK", "Rotterdam", 51.9113, 4.4292)],
    "SPG infra": [("Rotterdam", "Waalhaven Zuidzijde 21", "3089 JH", "Rotterdam", 51.8842, 4.4351)],
    "Beroepentuin": [("Rotterdam", "Pleinweg 230", "3083 EZ", "Rotterdam", 51.8924, 4.4795)],
    "Spindler installatietechniek": [
        ("Rotterdam", "Spaansekade 30", "3027 VD", "Rotterdam", 51.9134, 4.4264)
    ],
    "Lomans": [("Rotterdam", "Driemanssteeweg 200", "3084 CB", "Rotterdam", 51.8762, 4.4638)],
    "Hollandia Infra": [
        (
            "Krimpen aan den IJssel",
            "Celebesweg 1",
            "2921 LB",
            "Krimpen aan den IJssel",
            51.9165,
            4.5854,
        )
    ],
    "Installatiewerk Zuid-Holland": [
        ("Rotterdam", "Zuiderparkweg 260", "3075 LE", "Rotterdam", 51.8871, 4.5089)
    ],
    "Metalent": [("Rotterdam", "Van Nelleweg 1", "3044 BC", "Rotterdam", 51.9230, 4.4310)],
    "Vemefa Constructa": [
        (
            "Capelle aan den IJssel",
            "Hoofdweg 56",
            "2908 LC",
            "Capelle aan den IJssel",
            51.9437,
            4.5772,
        )
    ],
    "Bouwplein 010": [("Rotterdam", "Bergweg-Zuid 100", "3063 AJ", "Rotterdam", 51.9345, 4.5347)],
    "Slagplug": [("Techniekhuis op Noord", "Bergweg 250", "3036 BL", "Rotterdam", 51.9347, 4.4785)],
    "Techniekhuis op Zuid": [
        ("Hoofdlocatie", "Putselaan 140", "3074 JK", "Rotterdam", 51.8969, 4.4965)
    ],
    "Techniekbus": [
        ("Standplaats", "Rivium Boulevard 2", "2909 LK", "Capelle aan den IJssel", 51.9174, 4.5574)
    ],
    "TechXpress": [("Standplaats", "Schiedamsedijk 44", "3011 EH", "Rotterdam", 51.9157, 4.4783)],
    "Spacebuzz": [("Rotterdam", "Wilhelminakade 699", "3072 AP", "Rotterdam", 51.9051, 4.4878)],
    "TechMission010": [
        ("RDM Campus", "Heijplaatstraat 23", "3089 JB", "Rotterdam", 51.8833, 4.4149)
    ],
    "Techniekmaker": [("Rotterdam", "Keileweg 18", "3029 BS", "Rotterdam", 51.9077, 4.4288)],
    "Maakotheek": [("Rotterdam", "Vierhavensstraat 50", "3029 BG", "Rotterdam", 51.9085, 4.4335)],
    "NexTechnician": [
        ("Rotterdam", "Albert Plesmanweg 43", "3088 GB", "Rotterdam", 51.8799, 4.4550)
    ],
    "Hogeschool Rotterdam": [
        ("Museumpark", "Museumpark 40", "3015 CX", "Rotterdam", 51.9136, 4.4731)
    ],
    "JINC": [("Rotterdam", "Coolsingel 6", "3011 AD", "Rotterdam", 51.9225, 4.4791)],
    "TechTown programmabureau": [
        ("Kantoor", "Hillevliet 90", "3074 KD", "Rotterdam", 51.8987, 4.5006)
    ],
}

# Boxes for invented organisations, per subregion: (lat_min, lat_max, lng_min, lng_max, city, postcode range)
SUBREGION_BOXES = {
    "noord": (51.925, 51.965, 4.43, 4.53, "Rotterdam", (3031, 3056)),
    "zuid": (51.865, 51.900, 4.44, 4.56, "Rotterdam", (3071, 3089)),
    "capelle-oostland": (51.925, 52.020, 4.55, 4.61, "Capelle aan den IJssel", (2901, 2909)),
}
# The region's bounding box (used by tests): every demo location lies inside it.
REGION_BOX = (51.84, 52.05, 4.38, 4.68)

STREETS = [
    "Schoolstraat",
    "Kerkweg",
    "Havenstraat",
    "Molenlaan",
    "Dorpsstraat",
    "Parkweg",
    "Lindelaan",
    "Beukenlaan",
    "Stationsweg",
    "Marktplein",
    "Industrieweg",
    "Nijverheidsweg",
    "Werfstraat",
    "Dijkstraat",
    "Kadeweg",
    "Zeilmakerstraat",
    "Smederij",
    "Ambachtsweg",
]
