/* tc-phone-zones.c
 *
 * SPDX-FileCopyrightText: 2026 The Textcast authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The time zones a phone number can be in. Debian's libphonenumber has no
 * time-zone mapper, so the country's zones come from tzdata, and for
 * countries spanning several zones the geocoder's location ("San Francisco,
 * CA", "Manaus - AM", "Novosibirsk", "Puebla, PUE") narrows them through the
 * table below. When nothing narrows them, every zone of the country is
 * returned: quiet hours then use the window that is legal in all of them,
 * which is the safe answer for a marketer.
 *
 * Which tzdata table: zone1970.tab merges countries whose clocks have agreed
 * since 1970, so it answers "Europe/Berlin" for Norway and Sweden and
 * "Asia/Dubai" for Oman. A marketer reading "Europe/Berlin" next to a
 * Norwegian customer would think it a mistake, so zone.tab (one country per
 * line, "NO → Europe/Oslo") is read first; zone1970.tab (the path meson
 * passes) is the fallback for a country zone.tab lacks or when zone.tab is
 * missing. Both sit in the same tzdata directory.
 */

#define G_LOG_DOMAIN "tc-phone"

#include "config.h"

#include <string.h>

#include "tc-phone.h"
#include "tc-phone-private.h"

#ifndef TC_ZONE1970_TAB
# define TC_ZONE1970_TAB "/usr/share/zoneinfo/zone1970.tab"
#endif

/* Zone names used many times below. */
#define NEW_YORK    "America/New_York"
#define CHICAGO     "America/Chicago"
#define DENVER      "America/Denver"
#define PHOENIX     "America/Phoenix"
#define LOS_ANGELES "America/Los_Angeles"
#define BOISE       "America/Boise"
#define DETROIT     "America/Detroit"
#define MENOMINEE   "America/Menominee"
#define INDIANAPOLIS "America/Indiana/Indianapolis"
#define LOUISVILLE  "America/Kentucky/Louisville"
#define ALASKA      "America/Adak America/Anchorage America/Juneau America/Metlakatla " \
                    "America/Nome America/Sitka America/Yakutat"
#define INDIANA     "America/Chicago America/Indiana/Indianapolis America/Indiana/Knox " \
                    "America/Indiana/Marengo America/Indiana/Petersburg " \
                    "America/Indiana/Tell_City America/Indiana/Vevay " \
                    "America/Indiana/Vincennes America/Indiana/Winamac"
#define KENTUCKY    "America/Chicago America/Kentucky/Louisville " \
                    "America/Kentucky/Monticello America/New_York"
#define N_DAKOTA    "America/Chicago America/Denver America/North_Dakota/Beulah " \
                    "America/North_Dakota/Center America/North_Dakota/New_Salem"
#define TORONTO     "America/Toronto"
#define VANCOUVER   "America/Vancouver"
#define EDMONTON    "America/Edmonton"
#define BRIT_COLUMBIA "America/Creston America/Dawson_Creek America/Edmonton " \
                      "America/Fort_Nelson America/Vancouver"
#define SAO_PAULO   "America/Sao_Paulo"
#define FORTALEZA   "America/Fortaleza"
#define MEXICO_CITY "America/Mexico_City"
#define MX_NORTHEAST "America/Matamoros America/Monterrey"
#define MX_CHIHUAHUA "America/Chihuahua America/Ciudad_Juarez America/Ojinaga"
#define MOSCOW      "Europe/Moscow"
#define YEKATERINBURG "Asia/Yekaterinburg"
#define KYIV        "Europe/Kyiv"
#define MADRID      "Europe/Madrid"
#define LISBON      "Europe/Lisbon"
#define SANTIAGO    "America/Santiago"
#define GUAYAQUIL   "America/Guayaquil"
#define JAKARTA     "Asia/Jakarta"
#define MAKASSAR    "Asia/Makassar"
#define JAYAPURA    "Asia/Jayapura"
#define SYDNEY      "Australia/Sydney"
#define MELBOURNE   "Australia/Melbourne"
#define BRISBANE    "Australia/Brisbane"
#define ADELAIDE    "Australia/Adelaide"
#define PERTH       "Australia/Perth"
#define DARWIN      "Australia/Darwin"
#define HOBART      "Australia/Hobart"

/* Every zone of the country: the place is known to be somewhere in it
 * without saying where (the geocoder's country name, "Russia"). */
#define ALL_ZONES "*"

typedef struct
{
  const char *region;
  /* Place names separated by '|', compared without regard to case. They are
   * the geocoder's own spellings (found by running it over every prefix of
   * each country) plus the usual abbreviations. The name "*" is the zone for
   * any other specific place of that country: it is only given where the
   * geocoder's whole vocabulary for the country was checked and the places
   * of the minority zones are all named explicitly. */
  const char *places;
  /* Space-separated zones, or ALL_ZONES. */
  const char *zones;
} ZoneRule;

static const ZoneRule zone_rules[] = {
  /* United States. The geocoder answers "City, ST" for most numbers and the
   * state's name for the rest. States split between zones answer every zone
   * they span unless the city is listed here. */
  { "US", "United States", ALL_ZONES },
  { "US", "Alabama|AL", CHICAGO },
  { "US", "Alaska|AK", ALASKA },
  { "US", "Anchorage, AK|Fairbanks, AK|Wasilla, AK|Palmer, AK|Kenai, AK|Soldotna, AK|"
          "Kodiak, AK|Eagle River, AK|Valdez, AK|Homer, AK|Bethel, AK", "America/Anchorage" },
  { "US", "Juneau, AK", "America/Juneau" },
  { "US", "Sitka, AK", "America/Sitka" },
  { "US", "Nome, AK", "America/Nome" },
  /* The Navajo Nation keeps daylight saving time; the rest of Arizona does
   * not. */
  { "US", "Arizona|AZ", DENVER " " PHOENIX },
  { "US", "Phoenix, AZ|Tucson, AZ|Mesa, AZ|Chandler, AZ|Scottsdale, AZ|Glendale, AZ|"
          "Tempe, AZ|Gilbert, AZ|Peoria, AZ|Flagstaff, AZ|Yuma, AZ|Prescott, AZ|"
          "Lake Havasu City, AZ|Sierra Vista, AZ|Kingman, AZ|Casa Grande, AZ|"
          "Surprise, AZ|Goodyear, AZ|Avondale, AZ|Bullhead City, AZ|Sedona, AZ|"
          "Nogales, AZ|Douglas, AZ|Payson, AZ", PHOENIX },
  { "US", "Window Rock, AZ|Chinle, AZ|Kayenta, AZ|Tuba City, AZ|Ganado, AZ", DENVER },
  { "US", "Arkansas|AR", CHICAGO },
  { "US", "California|CA", LOS_ANGELES },
  { "US", "Colorado|CO", DENVER },
  { "US", "Connecticut|CT", NEW_YORK },
  { "US", "Delaware|DE", NEW_YORK },
  { "US", "Washington D.C.|District of Columbia|Washington, DC|DC", NEW_YORK },
  /* Florida west of the Apalachicola River is on Central time. */
  { "US", "Florida|FL", CHICAGO " " NEW_YORK },
  { "US", "Miami, FL|North Miami, FL|Orlando, FL|Tampa, FL|Jacksonville, FL|Tallahassee, FL|"
          "St. Petersburg, FL|Fort Lauderdale, FL|Hialeah, FL|Gainesville, FL|Clearwater, FL|"
          "West Palm Beach, FL|Boca Raton, FL|Naples, FL|Sarasota, FL|Fort Myers, FL|"
          "Daytona Beach, FL|Lakeland, FL|Ocala, FL|Pompano Beach, FL|Hollywood, FL|"
          "Cape Coral, FL|Port St. Lucie, FL|Melbourne, FL|Key West, FL|Palm Bay, FL|"
          "Kissimmee, FL|Miami Beach, FL|Coral Springs, FL|Delray Beach, FL", NEW_YORK },
  { "US", "Pensacola, FL|Panama City, FL|Panama City Beach, FL|Fort Walton Beach, FL|"
          "Destin, FL|Crestview, FL|Niceville, FL|Milton, FL|Navarre, FL|Gulf Breeze, FL|"
          "DeFuniak Springs, FL|Marianna, FL|Chipley, FL|Bonifay, FL|Lynn Haven, FL|"
          "Mary Esther, FL|Santa Rosa Beach, FL", CHICAGO },
  { "US", "Georgia|GA", NEW_YORK },
  { "US", "Hawaii|HI", "Pacific/Honolulu" },
  /* Idaho's panhandle is on Pacific time. */
  { "US", "Idaho|ID", BOISE " " LOS_ANGELES },
  { "US", "Boise, ID|Nampa, ID|Meridian, ID|Idaho Falls, ID|Pocatello, ID|Caldwell, ID|"
          "Twin Falls, ID|Rexburg, ID|Eagle, ID|Blackfoot, ID|Mountain Home, ID|Burley, ID|"
          "Jerome, ID|Salmon, ID|Sun Valley, ID|Ketchum, ID", BOISE },
  { "US", "Coeur d'Alene, ID|Lewiston, ID|Moscow, ID|Post Falls, ID|Sandpoint, ID|"
          "Bonners Ferry, ID|Kellogg, ID|Orofino, ID|Wallace, ID|St. Maries, ID|"
          "Grangeville, ID", LOS_ANGELES },
  { "US", "Illinois|IL|Chicago, IL", CHICAGO },
  /* Indiana: Eastern in most counties, Central in the north-west (near
   * Chicago) and the south-west (near Evansville), plus tzdata's county
   * zones for the areas whose rules changed after 1970. */
  { "US", "Indiana|IN", INDIANA },
  { "US", "Indianapolis, IN|Fort Wayne, IN|South Bend, IN|Bloomington, IN|Carmel, IN|"
          "Fishers, IN|Muncie, IN|Lafayette, IN|West Lafayette, IN|Terre Haute, IN|"
          "Kokomo, IN|Anderson, IN|Noblesville, IN|Greenwood, IN|Elkhart, IN|Mishawaka, IN|"
          "Richmond, IN|Columbus, IN|New Albany, IN|Jeffersonville, IN|Marion, IN|"
          "Goshen, IN", INDIANAPOLIS },
  { "US", "Gary, IN|Hammond, IN|Merrillville, IN|Valparaiso, IN|Crown Point, IN|"
          "Michigan City, IN|La Porte, IN|Portage, IN|Hobart, IN|East Chicago, IN|"
          "Munster, IN|Highland, IN|Schererville, IN|Chesterton, IN|Evansville, IN|"
          "Newburgh, IN|Boonville, IN|Princeton, IN|Mount Vernon, IN", CHICAGO },
  { "US", "Tell City, IN", "America/Indiana/Tell_City" },
  { "US", "Jasper, IN|Vincennes, IN|Washington, IN", "America/Indiana/Vincennes" },
  { "US", "Knox, IN", "America/Indiana/Knox" },
  { "US", "Winamac, IN", "America/Indiana/Winamac" },
  { "US", "Petersburg, IN", "America/Indiana/Petersburg" },
  { "US", "Vevay, IN", "America/Indiana/Vevay" },
  { "US", "Marengo, IN", "America/Indiana/Marengo" },
  { "US", "Iowa|IA", CHICAGO },
  /* Four western counties of Kansas are on Mountain time. */
  { "US", "Kansas|KS", CHICAGO " " DENVER },
  { "US", "Wichita, KS|Topeka, KS|Kansas City, KS|Overland Park, KS|Olathe, KS|Lawrence, KS|"
          "Manhattan, KS|Salina, KS|Hutchinson, KS|Lenexa, KS|Shawnee, KS|Emporia, KS|"
          "Dodge City, KS|Garden City, KS|Hays, KS|Leavenworth, KS|Liberal, KS|"
          "Pittsburg, KS|Junction City, KS", CHICAGO },
  { "US", "Goodland, KS|Sharon Springs, KS|Tribune, KS|Syracuse, KS", DENVER },
  { "US", "Kentucky|KY", KENTUCKY },
  { "US", "Louisville, KY", LOUISVILLE },
  { "US", "Lexington, KY|Frankfort, KY|Covington, KY|Florence, KY|Richmond, KY|"
          "Georgetown, KY|Ashland, KY|Pikeville, KY|Hazard, KY|Somerset, KY|"
          "Newport, KY|Winchester, KY|London, KY", NEW_YORK },
  { "US", "Monticello, KY", "America/Kentucky/Monticello" },
  { "US", "Bowling Green, KY|Owensboro, KY|Paducah, KY|Hopkinsville, KY|Henderson, KY|"
          "Madisonville, KY|Murray, KY|Mayfield, KY|Glasgow, KY|Russellville, KY", CHICAGO },
  { "US", "Louisiana|LA", CHICAGO },
  { "US", "Maine|ME", NEW_YORK },
  { "US", "Maryland|MD", NEW_YORK },
  { "US", "Massachusetts|MA", NEW_YORK },
  /* The Upper Peninsula's four counties on the Wisconsin border are on
   * Central time. */
  { "US", "Michigan|MI", DETROIT " " MENOMINEE },
  { "US", "Detroit, MI|Grand Rapids, MI|Lansing, MI|Ann Arbor, MI|Flint, MI|Kalamazoo, MI|"
          "Marquette, MI|Sault Ste. Marie, MI|Traverse City, MI|Saginaw, MI|Troy, MI|"
          "Warren, MI|Sterling Heights, MI|Dearborn, MI|Livonia, MI|Southfield, MI|"
          "Pontiac, MI|Battle Creek, MI|Jackson, MI|Muskegon, MI|Holland, MI|Midland, MI|"
          "Bay City, MI|Escanaba, MI", DETROIT },
  { "US", "Menominee, MI|Iron Mountain, MI|Iron River, MI|Ironwood, MI|Kingsford, MI|"
          "Norway, MI|Bessemer, MI|Wakefield, MI", MENOMINEE },
  { "US", "Minnesota|MN", CHICAGO },
  { "US", "Mississippi|MS", CHICAGO },
  { "US", "Missouri|MO", CHICAGO },
  { "US", "Montana|MT", DENVER },
  /* The Nebraska panhandle is on Mountain time. */
  { "US", "Nebraska|NE", CHICAGO " " DENVER },
  { "US", "Omaha, NE|Lincoln, NE|Grand Island, NE|Kearney, NE|Fremont, NE|Hastings, NE|"
          "Norfolk, NE|Columbus, NE|North Platte, NE|Bellevue, NE|Papillion, NE|"
          "Beatrice, NE|McCook, NE|Lexington, NE", CHICAGO },
  { "US", "Scottsbluff, NE|Gering, NE|Sidney, NE|Alliance, NE|Chadron, NE|Ogallala, NE|"
          "Kimball, NE|Bridgeport, NE|Mitchell, NE|Gordon, NE|Rushville, NE|Oshkosh, NE|"
          "Chappell, NE|Hemingford, NE|Crawford, NE|Harrison, NE", DENVER },
  /* West Wendover keeps Mountain time. */
  { "US", "Nevada|NV", DENVER " " LOS_ANGELES },
  { "US", "Las Vegas, NV|North Las Vegas, NV|Henderson, NV|Reno, NV|Sparks, NV|"
          "Carson City, NV|Elko, NV|Pahrump, NV|Mesquite, NV|Boulder City, NV|Fallon, NV|"
          "Winnemucca, NV|Ely, NV", LOS_ANGELES },
  { "US", "West Wendover, NV", DENVER },
  { "US", "New Hampshire|NH", NEW_YORK },
  { "US", "New Jersey|NJ", NEW_YORK },
  { "US", "New Mexico|NM", DENVER },
  { "US", "New York|NY", NEW_YORK },
  { "US", "North Carolina|NC", NEW_YORK },
  /* South-western North Dakota is on Mountain time; tzdata keeps three
   * county zones for places that moved to Central. */
  { "US", "North Dakota|ND", N_DAKOTA },
  { "US", "Fargo, ND|Bismarck, ND|Grand Forks, ND|Minot, ND|Williston, ND|Jamestown, ND|"
          "West Fargo, ND|Devils Lake, ND|Valley City, ND|Wahpeton, ND", CHICAGO },
  { "US", "Dickinson, ND|Beach, ND|Bowman, ND|Hettinger, ND|Belfield, ND|Medora, ND|"
          "Mott, ND", DENVER },
  { "US", "Mandan, ND|New Salem, ND", "America/North_Dakota/New_Salem" },
  { "US", "Beulah, ND|Hazen, ND", "America/North_Dakota/Beulah" },
  { "US", "Center, ND", "America/North_Dakota/Center" },
  { "US", "Ohio|OH", NEW_YORK },
  { "US", "Oklahoma|OK", CHICAGO },
  /* Most of Malheur County, Oregon, is on Mountain time. */
  { "US", "Oregon|OR", BOISE " " LOS_ANGELES },
  { "US", "Portland, OR|Salem, OR|Eugene, OR|Bend, OR|Medford, OR|Gresham, OR|Hillsboro, OR|"
          "Beaverton, OR|Corvallis, OR|Springfield, OR|Albany, OR|Klamath Falls, OR|"
          "Grants Pass, OR|Roseburg, OR|Pendleton, OR|Astoria, OR|Coos Bay, OR|"
          "The Dalles, OR|Hermiston, OR", LOS_ANGELES },
  { "US", "Ontario, OR|Nyssa, OR|Vale, OR", BOISE },
  { "US", "Pennsylvania|PA|Philadelphia", NEW_YORK },
  { "US", "Rhode Island|RI", NEW_YORK },
  { "US", "South Carolina|SC", NEW_YORK },
  /* Western South Dakota is on Mountain time. */
  { "US", "South Dakota|SD", CHICAGO " " DENVER },
  { "US", "Sioux Falls, SD|Aberdeen, SD|Brookings, SD|Watertown, SD|Mitchell, SD|"
          "Yankton, SD|Pierre, SD|Huron, SD|Vermillion, SD|Madison, SD", CHICAGO },
  { "US", "Rapid City, SD|Spearfish, SD|Sturgis, SD|Belle Fourche, SD|Lead, SD|"
          "Deadwood, SD|Hot Springs, SD|Custer, SD|Box Elder, SD|Wall, SD|Hill City, SD",
    DENVER },
  /* East Tennessee is on Eastern time, the rest on Central. */
  { "US", "Tennessee|TN", CHICAGO " " NEW_YORK },
  { "US", "Nashville, TN|Memphis, TN|Clarksville, TN|Murfreesboro, TN|Jackson, TN|"
          "Franklin, TN|Columbia, TN|Cookeville, TN|Crossville, TN|Brentwood, TN|"
          "Hendersonville, TN|Gallatin, TN|Lebanon, TN|Smyrna, TN|Tullahoma, TN|"
          "Dyersburg, TN|Union City, TN|Shelbyville, TN|Spring Hill, TN|Collierville, TN|"
          "Germantown, TN|Bartlett, TN", CHICAGO },
  { "US", "Knoxville, TN|Chattanooga, TN|Johnson City, TN|Kingsport, TN|Bristol, TN|"
          "Cleveland, TN|Morristown, TN|Oak Ridge, TN|Maryville, TN|Sevierville, TN|"
          "Gatlinburg, TN|Athens, TN|Greeneville, TN|Elizabethton, TN|Pigeon Forge, TN|"
          "Lenoir City, TN", NEW_YORK },
  /* El Paso and Hudspeth counties are on Mountain time. */
  { "US", "Texas|TX", CHICAGO " " DENVER },
  { "US", "Houston, TX|Dallas, TX|San Antonio, TX|Austin, TX|Fort Worth, TX|Arlington, TX|"
          "Corpus Christi, TX|Plano, TX|Laredo, TX|Lubbock, TX|Irving, TX|Garland, TX|"
          "Amarillo, TX|Grand Prairie, TX|Brownsville, TX|McKinney, TX|Frisco, TX|"
          "Pasadena, TX|Killeen, TX|McAllen, TX|Mesquite, TX|Midland, TX|Odessa, TX|"
          "Waco, TX|Beaumont, TX|Abilene, TX|Tyler, TX|Denton, TX|College Station, TX|"
          "San Angelo, TX|Wichita Falls, TX|Round Rock, TX|Sugar Land, TX|"
          "The Woodlands, TX|Galveston, TX|Victoria, TX|Longview, TX|Harlingen, TX",
    CHICAGO },
  { "US", "El Paso, TX|Fabens, TX|Canutillo, TX|Anthony, TX|Clint, TX|Horizon City, TX|"
          "Socorro, TX|San Elizario, TX|Tornillo, TX|Sierra Blanca, TX|Dell City, TX|"
          "Fort Hancock, TX|Fort Bliss, TX", DENVER },
  { "US", "Utah|UT", DENVER },
  { "US", "Vermont|VT", NEW_YORK },
  { "US", "Virginia|VA", NEW_YORK },
  { "US", "Washington State|WA", LOS_ANGELES },
  { "US", "West Virginia|WV", NEW_YORK },
  { "US", "Wisconsin|WI", CHICAGO },
  { "US", "Wyoming|WY", DENVER },

  /* Canada: "City, PR" or the province's name. */
  { "CA", "Canada", ALL_ZONES },
  { "CA", "Alberta|AB", EDMONTON },
  /* British Columbia: the East Kootenay keeps Mountain time, and tzdata has
   * zones for Creston and the Peace River country. */
  { "CA", "British Columbia|BC", BRIT_COLUMBIA },
  { "CA", "Vancouver, BC|North Vancouver, BC|West Vancouver, BC|Victoria, BC|Surrey, BC|"
          "Burnaby, BC|Richmond, BC|Abbotsford, BC|Coquitlam, BC|Port Coquitlam, BC|"
          "Kelowna, BC|Kamloops, BC|Nanaimo, BC|Prince George, BC|Chilliwack, BC|"
          "Vernon, BC|Penticton, BC|Langley, BC|Delta, BC|Maple Ridge, BC|"
          "New Westminster, BC|Courtenay, BC|Campbell River, BC|Prince Rupert, BC|"
          "Squamish, BC|Whistler, BC|Agassiz, BC", VANCOUVER },
  { "CA", "Cranbrook, BC|Fernie, BC|Golden, BC|Invermere, BC|Sparwood, BC|Kimberley, BC",
    EDMONTON },
  { "CA", "Creston, BC", "America/Creston" },
  { "CA", "Dawson Creek, BC|Fort St. John, BC|Chetwynd, BC", "America/Dawson_Creek" },
  { "CA", "Fort Nelson, BC", "America/Fort_Nelson" },
  { "CA", "Manitoba|MB", "America/Winnipeg" },
  { "CA", "New Brunswick|NB", "America/Moncton" },
  { "CA", "Newfoundland and Labrador|NL", "America/Goose_Bay America/St_Johns" },
  { "CA", "St. John's, NL|Mount Pearl, NL|Corner Brook, NL|Gander, NL|Grand Falls-Windsor, NL|"
          "Conception Bay South, NL|Paradise, NL|Stephenville, NL|Clarenville, NL|"
          "Carbonear, NL", "America/St_Johns" },
  { "CA", "Happy Valley-Goose Bay, NL|Goose Bay, NL|Labrador City, NL|Wabush, NL|"
          "Churchill Falls, NL", "America/Goose_Bay" },
  /* Cape Breton Island has its own tzdata zone (same clock today). */
  { "CA", "Nova Scotia|NS", "America/Glace_Bay America/Halifax" },
  { "CA", "Halifax, NS|Dartmouth, NS|Truro, NS|New Glasgow, NS|Kentville, NS|Yarmouth, NS|"
          "Bridgewater, NS|Amherst, NS|Antigonish, NS|Wolfville, NS", "America/Halifax" },
  { "CA", "Sydney, NS|North Sydney, NS|Glace Bay, NS", "America/Glace_Bay" },
  { "CA", "Prince Edward Island|PE", "America/Halifax" },
  /* North-western Ontario is on Central time. */
  { "CA", "Ontario|ON", "America/Atikokan America/Toronto America/Winnipeg" },
  { "CA", "Toronto, ON|Ottawa, ON|Mississauga, ON|Hamilton, ON|London, ON|Brampton, ON|"
          "Markham, ON|Vaughan, ON|Kitchener, ON|Windsor, ON|Oakville, ON|Burlington, ON|"
          "Sudbury, ON|Oshawa, ON|Barrie, ON|St. Catharines, ON|Guelph, ON|Cambridge, ON|"
          "Kingston, ON|Waterloo, ON|Thunder Bay, ON|Sault Ste. Marie, ON|"
          "Peterborough, ON|Niagara Falls, ON|North Bay, ON|Sarnia, ON|Belleville, ON|"
          "Timmins, ON|Brantford, ON|Richmond Hill, ON|Ajax, ON|Pickering, ON|Whitby, ON|"
          "Newmarket, ON|Cornwall, ON|Welland, ON|Orillia, ON|Stratford, ON|Woodstock, ON|"
          "Chatham, ON|Owen Sound, ON", TORONTO },
  { "CA", "Kenora, ON|Dryden, ON|Fort Frances, ON|Sioux Lookout, ON|Red Lake, ON",
    "America/Winnipeg" },
  { "CA", "Atikokan, ON", "America/Atikokan" },
  /* Quebec's Lower North Shore keeps Atlantic time. */
  { "CA", "Quebec|QC", "America/Blanc-Sablon " TORONTO },
  { "CA", "Montreal, QC|Quebec City, QC|Quebec, QC|Laval, QC|Gatineau, QC|Longueuil, QC|"
          "Sherbrooke, QC|Trois-Rivieres, QC|Saguenay, QC|Chicoutimi, QC|Levis, QC|"
          "Terrebonne, QC|Rimouski, QC|Drummondville, QC|Saint-Jerome, QC|Granby, QC|"
          "Rouyn-Noranda, QC|Val-d'Or, QC|Sept-Iles, QC|Baie-Comeau, QC|Gaspe, QC|"
          "Saint-Jean-sur-Richelieu, QC|Repentigny, QC|Brossard, QC|Victoriaville, QC|"
          "Joliette, QC|Shawinigan, QC|Alma, QC|Magog, QC|Sorel-Tracy, QC|"
          "Acton Vale, QC", TORONTO },
  { "CA", "Blanc-Sablon, QC", "America/Blanc-Sablon" },
  { "CA", "Saskatchewan|SK", "America/Edmonton America/Regina America/Swift_Current" },
  { "CA", "Regina, SK|Saskatoon, SK|Prince Albert, SK|Moose Jaw, SK|Yorkton, SK|"
          "North Battleford, SK|Estevan, SK|Weyburn, SK", "America/Regina" },
  { "CA", "Swift Current, SK", "America/Swift_Current" },
  { "CA", "Lloydminster, SK|Lloydminster, AB", EDMONTON },
  { "CA", "Northwest Territories|NT", "America/Edmonton America/Inuvik" },
  { "CA", "Yellowknife, NT|Hay River, NT|Fort Smith, NT", EDMONTON },
  { "CA", "Inuvik, NT", "America/Inuvik" },
  { "CA", "Nunavut|NU", "America/Atikokan America/Cambridge_Bay America/Iqaluit "
                         "America/Rankin_Inlet America/Resolute" },
  { "CA", "Iqaluit, NU", "America/Iqaluit" },
  { "CA", "Rankin Inlet, NU", "America/Rankin_Inlet" },
  { "CA", "Cambridge Bay, NU", "America/Cambridge_Bay" },
  { "CA", "Resolute, NU", "America/Resolute" },
  { "CA", "Coral Harbour, NU", "America/Atikokan" },
  { "CA", "Yukon|YT", "America/Dawson America/Whitehorse" },
  { "CA", "Whitehorse, YT|Watson Lake|Watson Lake, YT", "America/Whitehorse" },
  { "CA", "Dawson City, YT|Dawson, YT", "America/Dawson" },

  /* Brazil: "City - UF" or the state's name. The abbreviation is what a
   * city's state resolves to, so where a state's minority zone is a single
   * municipality the name (said of the whole state) and the abbreviation
   * (said of a city in it) differ. */
  { "BR", "Brazil", ALL_ZONES },
  { "BR", "Acre|AC", "America/Rio_Branco" },
  { "BR", "Alagoas|AL", "America/Maceio" },
  { "BR", "Amapá|Amapa|AP", "America/Belem" },
  { "BR", "Amazonas|AM", "America/Eirunepe America/Manaus" },
  { "BR", "Manaus - AM|Parintins - AM|Itacoatiara - AM|Manacapuru - AM|Tefé - AM|"
          "Coari - AM|Maués - AM|Humaitá - AM", "America/Manaus" },
  { "BR", "Eirunepé - AM|Envira - AM|Ipixuna - AM|Guajará - AM|Itamarati - AM",
    "America/Eirunepe" },
  { "BR", "Bahia|BA", "America/Bahia" },
  { "BR", "Ceará|Ceara|CE", FORTALEZA },
  { "BR", "Federal District|Distrito Federal|DF", SAO_PAULO },
  { "BR", "Espirito Santo|Espírito Santo|ES", SAO_PAULO },
  { "BR", "Goiás|Goias|GO", SAO_PAULO },
  { "BR", "Maranhão|Maranhao|MA", FORTALEZA },
  { "BR", "Mato Grosso|MT", "America/Cuiaba" },
  { "BR", "Mato Grosso do Sul|MS", "America/Campo_Grande" },
  { "BR", "Minas Gerais|MG", SAO_PAULO },
  { "BR", "Pará|Para|PA", "America/Belem America/Santarem" },
  { "BR", "Belém - PA|Ananindeua - PA|Marabá - PA|Castanhal - PA|Parauapebas - PA|"
          "Abaetetuba - PA|Bragança - PA|Tucuruí - PA", "America/Belem" },
  { "BR", "Santarém - PA|Altamira - PA|Itaituba - PA|Oriximiná - PA|Óbidos - PA",
    "America/Santarem" },
  { "BR", "Paraiba|Paraíba|PB", FORTALEZA },
  { "BR", "Paraná|Parana|PR", SAO_PAULO },
  /* Pernambuco's only municipality off Recife's clock is the archipelago
   * of Fernando de Noronha. */
  { "BR", "Pernambuco", "America/Noronha America/Recife" },
  { "BR", "PE", "America/Recife" },
  { "BR", "Fernando de Noronha - PE|Fernando de Noronha", "America/Noronha" },
  { "BR", "Piauí|Piaui|PI", FORTALEZA },
  { "BR", "Rio de Janeiro|RJ", SAO_PAULO },
  { "BR", "Rio Grande do Norte|RN", FORTALEZA },
  { "BR", "Rio Grande do Sul|RS", SAO_PAULO },
  { "BR", "Rondônia|Rondonia|RO", "America/Porto_Velho" },
  { "BR", "Roraima|RR", "America/Boa_Vista" },
  { "BR", "Santa Catarina|SC", SAO_PAULO },
  { "BR", "São Paulo|Sao Paulo|SP", SAO_PAULO },
  { "BR", "Sergipe|SE", "America/Maceio" },
  { "BR", "Tocantins|TO", "America/Araguaina" },

  /* Mexico: "City, ABBR" (the geocoder's abbreviations) or the state. */
  { "MX", "Mexico", ALL_ZONES },
  { "MX", "Aguascalientes|AGS", MEXICO_CITY },
  { "MX", "Baja California|BCN|BC", "America/Tijuana" },
  { "MX", "Baja California Sur|BCS", "America/Mazatlan" },
  { "MX", "Campeche|CAMP", "America/Merida" },
  { "MX", "Chiapas|CHIS", MEXICO_CITY },
  { "MX", "Chihuahua|CHIH", MX_CHIHUAHUA },
  { "MX", "Chihuahua, CHIH", "America/Chihuahua" },
  { "MX", "Juarez|Ciudad Juarez|Ciudad Juarez, CHIH|Juarez, CHIH", "America/Ciudad_Juarez" },
  { "MX", "Ojinaga, CHIH", "America/Ojinaga" },
  { "MX", "Coahuila|COAH", MX_NORTHEAST },
  { "MX", "Colima|COL", MEXICO_CITY },
  { "MX", "Durango|DGO", "America/Monterrey" },
  { "MX", "Ciudad de Mexico|Mexico City|Federal District|Distrito Federal|FD|CDMX",
    MEXICO_CITY },
  { "MX", "Estado de Mexico|MEX", MEXICO_CITY },
  { "MX", "Guanajuato|GTO", MEXICO_CITY },
  { "MX", "Guerrero|GRO", MEXICO_CITY },
  { "MX", "Hidalgo|HGO", MEXICO_CITY },
  { "MX", "Jalisco|JAL", MEXICO_CITY },
  { "MX", "Merida|Merida, YUC", "America/Merida" },
  { "MX", "Michoacan|MICH", MEXICO_CITY },
  { "MX", "Morelos|MOR", MEXICO_CITY },
  { "MX", "Nayarit|NAY", "America/Bahia_Banderas America/Mazatlan" },
  { "MX", "Nuevo Leon|NL", MX_NORTHEAST },
  { "MX", "Monterrey, NL|Saltillo, COAH|Torreon, COAH|Tampico, TAMPS|"
          "Ciudad Victoria, TAMPS|Ciudad Madero, TAMPS|Monclova, COAH", "America/Monterrey" },
  { "MX", "Nuevo Laredo|Nuevo Laredo, TAMPS|Matamoros, TAMPS|Reynosa, TAMPS|"
          "Piedras Negras, COAH|Ciudad Acuna, COAH|Rio Bravo, TAMPS", "America/Matamoros" },
  { "MX", "Oaxaca|OAX", MEXICO_CITY },
  { "MX", "Puebla|PUE", MEXICO_CITY },
  { "MX", "Queretaro|QRO", MEXICO_CITY },
  { "MX", "Quintana Roo|QROO|QR", "America/Cancun" },
  { "MX", "San Luis Potosi|SLP", MEXICO_CITY },
  { "MX", "Sinaloa|SIN", "America/Mazatlan" },
  { "MX", "Sonora|SON", "America/Hermosillo" },
  { "MX", "Tabasco|TAB", MEXICO_CITY },
  { "MX", "Tamaulipas|TAMPS", MX_NORTHEAST },
  { "MX", "Tlaxcala|TLAX", MEXICO_CITY },
  { "MX", "Veracruz|VER", MEXICO_CITY },
  { "MX", "Yucatan|YUC", "America/Merida" },
  { "MX", "Zacatecas|ZAC", MEXICO_CITY },

  /* Russia: the geocoder names the region or its main city. */
  { "RU", "Russia", ALL_ZONES },
  { "RU", "Kaliningrad", "Europe/Kaliningrad" },
  { "RU", "Moscow|St Petersburg|Saint Petersburg|Leningrad region|Arkhangelsk|Belgorod|"
          "Bryansk|Chechen Republic|Cherepovets|Chuvashi Republic|Ingushi Republic|"
          "Kabardino-Balkarian Republic|Kaluga|Karachayevo-Cherkessian Republic|"
          "Komi Republic|Kostroma|Krasnodar Territory|Kursk|Lipetsk|Mineranye Vody|"
          "Murmansk|Naberezhnye Chelny|Nizhni Novgorod|Nizhny Novgorod|Orel|Penza|Pskov|"
          "Republic of Adygeya|Republic of Daghestan|Republic of Kalmykia|"
          "Republic of Karelia|Republic of Marij El|Republic of Mordovia|"
          "Republic of North Ossetia|Republic of Tatarstan|Kazan|Rostov|Ryazan|Smolensk|"
          "Sochi|Stavropol territory|Tambov|Tula|Tver|Veliky Novgorod|Vladimir|Vologda|"
          "Voronezh|Yaroslavl", MOSCOW },
  { "RU", "Kirov", "Europe/Kirov" },
  { "RU", "Volgograd", "Europe/Volgograd" },
  { "RU", "Astrakhan", "Europe/Astrakhan" },
  { "RU", "Saratov", "Europe/Saratov" },
  { "RU", "Ulyanovsk", "Europe/Ulyanovsk" },
  { "RU", "Samara|Tolyatti|Udmurtian Republic", "Europe/Samara" },
  { "RU", "Ekaterinburg|Yekaterinburg|Chelyabinsk|Kurgan|Orenburg|Perm|"
          "Republic of Bashkortostan|Surgut|Tyumen|Yamalo-Nenets Autonomous District",
    YEKATERINBURG },
  { "RU", "Omsk", "Asia/Omsk" },
  { "RU", "Novosibirsk", "Asia/Novosibirsk" },
  { "RU", "Altai Territory|Republic of Altai", "Asia/Barnaul" },
  { "RU", "Tomsk", "Asia/Tomsk" },
  { "RU", "Kemerovo", "Asia/Novokuznetsk" },
  { "RU", "Krasnoyarsk Territory|Republic of Khakassia|Republic of Tuva", "Asia/Krasnoyarsk" },
  { "RU", "Irkutsk|Republic of Buryatia", "Asia/Irkutsk" },
  { "RU", "Chita", "Asia/Chita" },
  { "RU", "Amur Region", "Asia/Yakutsk" },
  /* Sakha spans three tzdata zones of its own. */
  { "RU", "Republic of Sakha", "Asia/Khandyga Asia/Srednekolymsk Asia/Ust-Nera Asia/Yakutsk" },
  { "RU", "Primorie territory|Khabarovsk Territory|Jewish Autonomous Region",
    "Asia/Vladivostok" },
  { "RU", "Magadan", "Asia/Magadan" },
  /* Sakhalin oblast includes the northern Kuril Islands. */
  { "RU", "Sakhalin Region", "Asia/Sakhalin Asia/Srednekolymsk" },
  { "RU", "Kamchatka Region", "Asia/Kamchatka" },
  { "RU", "Chukotka Autonomous District", "Asia/Anadyr" },
  /* Crimean numbers in the Russian plan; zone.tab lists the zone under UA. */
  { "RU", "Sevastopol|Simferopol", "Europe/Simferopol" },

  /* Ukraine: only Crimea differs; the geocoder names it. */
  { "UA", "Ukraine", ALL_ZONES },
  { "UA", "Crimea|Sevastopol city|Sevastopol|Simferopol", "Europe/Simferopol" },
  { "UA", "*", KYIV },

  /* Argentina: "City, Province". */
  { "AR", "Argentina", ALL_ZONES },
  { "AR", "Buenos Aires|Ciudad Autónoma de Buenos Aires|Capital Federal",
    "America/Argentina/Buenos_Aires" },
  { "AR", "Córdoba|Cordoba|Corrientes|Chaco|Entre Ríos|Entre Rios|Formosa|Misiones|"
          "Santiago del Estero|Santa Fe", "America/Argentina/Cordoba" },
  { "AR", "Salta|La Pampa|Neuquén|Neuquen|Río Negro|Rio Negro", "America/Argentina/Salta" },
  { "AR", "Jujuy", "America/Argentina/Jujuy" },
  { "AR", "Tucumán|Tucuman", "America/Argentina/Tucuman" },
  { "AR", "Catamarca|Chubut", "America/Argentina/Catamarca" },
  { "AR", "La Rioja", "America/Argentina/La_Rioja" },
  { "AR", "San Juan", "America/Argentina/San_Juan" },
  { "AR", "Mendoza", "America/Argentina/Mendoza" },
  { "AR", "San Luis", "America/Argentina/San_Luis" },
  { "AR", "Santa Cruz", "America/Argentina/Rio_Gallegos" },
  { "AR", "Tierra del Fuego", "America/Argentina/Ushuaia" },

  /* Australia: the geocoder names towns only; the main ones are here, and
   * the area code narrows the rest (see prefix_rules). */
  { "AU", "Australia", ALL_ZONES },
  { "AU", "Sydney|Sydney/Liverpool|Newcastle|Wollongong|Canberra|Central Coast|Gosford|"
          "Albury|Wagga Wagga|Orange|Dubbo|Tamworth|Bathurst|Port Macquarie|Coffs Harbour|"
          "Lismore|New South Wales|Australian Capital Territory", SYDNEY },
  { "AU", "Lord Howe Island", "Australia/Lord_Howe" },
  { "AU", "Broken Hill", "Australia/Broken_Hill" },
  { "AU", "Melbourne|Dandenong/Melbourne/Dandenong|Geelong|Ballarat|Bendigo|Shepparton|"
          "Mildura|Warrnambool|Traralgon|Wodonga|Victoria", MELBOURNE },
  { "AU", "Hobart|Launceston|Devonport|Burnie|Tasmania", HOBART },
  { "AU", "Brisbane|Gold Coast|Sunshine Coast|Townsville|Cairns|Toowoomba|Mackay|"
          "Rockhampton|Bundaberg|Hervey Bay|Gladstone|Mount Isa|Ipswich", BRISBANE },
  { "AU", "Queensland", BRISBANE " Australia/Lindeman" },
  { "AU", "Adelaide|Mount Gambier|Whyalla|Port Augusta|Port Lincoln|Murray Bridge|"
          "Port Pirie|Victor Harbor|South Australia", ADELAIDE },
  { "AU", "Darwin|Alice Springs|Katherine|Tennant Creek|Nhulunbuy|Palmerston|"
          "Northern Territory", DARWIN },
  { "AU", "Perth|Fremantle|Mandurah|Bunbury|Geraldton|Kalgoorlie|Albany|Broome|"
          "Port Hedland|Karratha|Busselton|Esperance|Joondalup|Rockingham", PERTH },
  { "AU", "Eucla", "Australia/Eucla" },
  { "AU", "Western Australia", PERTH " Australia/Eucla" },

  /* Indonesia: towns only; the main cities of each of the four zones. */
  { "ID", "Indonesia", ALL_ZONES },
  { "ID", "Jakarta|Bandung|Surabaya|Medan|Semarang|Yogyakarta|Palembang|Padang|Bogor|"
          "Malang|Bekasi|Tangerang|Depok|Pekanbaru|Bandar Lampung|Jambi|Serang|Cirebon|"
          "Solo|Surakarta|Banda Aceh|Bengkulu", JAKARTA },
  { "ID", "Pontianak|Palangkaraya|Palangka Raya|Singkawang|Ketapang|Sampit",
    "Asia/Pontianak" },
  { "ID", "Denpasar|Makassar|Manado|Balikpapan|Samarinda|Banjarmasin|Kupang|Mataram|"
          "Palu|Kendari|Gorontalo|Tarakan|Bontang|Singaraja|Bima|Ende|Atambua|Amlapura",
    MAKASSAR },
  { "ID", "Jayapura|Ambon|Sorong|Ternate|Merauke|Manokwari|Timika|Biak|Nabire|Tual",
    JAYAPURA },

  /* Kazakhstan: all its zones keep the same clock since 2024; the main
   * cities still get their own zone. */
  { "KZ", "Kazakhstan", ALL_ZONES },
  { "KZ", "Almaty|Astana|Nur-Sultan|Shymkent|Karaganda|Karagandy|Pavlodar|Semey|"
          "Ust-Kamenogorsk|Oskemen|Taraz|Kokshetau|Petropavlovsk|Taldykorgan|Turkestan",
    "Asia/Almaty" },
  { "KZ", "Aktobe|Aqtobe", "Asia/Aqtobe" },
  { "KZ", "Atyrau", "Asia/Atyrau" },
  { "KZ", "Aktau|Aqtau|Zhanaozen", "Asia/Aqtau" },
  { "KZ", "Oral|Uralsk", "Asia/Oral" },
  { "KZ", "Kostanay|Qostanay|Rudny", "Asia/Qostanay" },
  { "KZ", "Kyzylorda|Qyzylorda|Baikonur", "Asia/Qyzylorda" },

  /* Chile: "City, Region". Easter Island belongs to the Valparaíso region. */
  { "CL", "Chile", ALL_ZONES },
  { "CL", "Aisén|Aysén|Aisen|Aysen|Coyhaique", "America/Coyhaique" },
  { "CL", "Magallanes and Antártica Chilena|Magallanes|Punta Arenas",
    "America/Punta_Arenas" },
  { "CL", "Easter Island|Isla de Pascua|Rapa Nui|Hanga Roa", "Pacific/Easter" },
  { "CL", "Valparaíso|Valparaiso", SANTIAGO " Pacific/Easter" },
  { "CL", "Valparaíso, Valparaíso|Quillota, Valparaíso|San Antonio, Valparaíso|"
          "San Felipe, Valparaíso|Viña del Mar, Valparaíso", SANTIAGO },
  { "CL", "Antofagasta|Arica and Parinacota|Atacama|Biobío|Biobio|Coquimbo|Maule|"
          "Los Lagos|Los Ríos|Los Rios|Tarapacá|Tarapaca|O'Higgins|Araucanía|Araucania|"
          "Metropolitan Region|Santiago|Ñuble|Nuble", SANTIAGO },

  /* DR Congo. */
  { "CD", "Congo - Kinshasa|Oriental Province (Kisanga/Mbandaka)", ALL_ZONES },
  { "CD", "Kinshasa|Bas-Congo|Bandundu|Kongo Central|Equateur|Mbandaka", "Africa/Kinshasa" },
  { "CD", "Katanga|Kasai-Oriental|Kasai-Occidental|North Kivu|South Kivu|Maniema|"
          "Lubumbashi|Kisangani|Goma|Bukavu|Mbuji-Mayi|Kananga", "Africa/Lubumbashi" },

  /* Mongolia. */
  { "MN", "Mongolia", ALL_ZONES },
  { "MN", "Ulaanbaatar|Bagakhangai|Baganuur|Nalaikh|Darkhan|Erdenet|Choibalsan",
    "Asia/Ulaanbaatar" },
  { "MN", "Hovd|Khovd|Bayan-Olgii|Bayan-Ölgii|Uvs|Ulaangom|Olgii", "Asia/Hovd" },

  /* Spain: the geocoder names the province. */
  { "ES", "Spain", ALL_ZONES },
  { "ES", "Las Palmas|Tenerife|Santa Cruz de Tenerife|Canary Islands", "Atlantic/Canary" },
  { "ES", "Ceuta|Melilla", "Africa/Ceuta" },
  { "ES", "*", MADRID },

  /* Portugal: the Azores and Madeira by their towns. */
  { "PT", "Portugal", ALL_ZONES },
  { "PT", "Angra do Heroísmo|Horta|Ponta Delgada|Azores", "Atlantic/Azores" },
  { "PT", "Funchal|Madeira", "Atlantic/Madeira" },
  { "PT", "*", LISBON },

  /* Ecuador: the Galápagos share a geocoder entry with two mainland
   * provinces. */
  { "EC", "Ecuador", ALL_ZONES },
  { "EC", "Galápagos|Galapagos", "Pacific/Galapagos" },
  { "EC", "*", GUAYAQUIL },

  /* Germany: Büsingen (Swiss clock, same as Berlin's) shares the Gailingen
   * prefix. */
  { "DE", "Germany", ALL_ZONES },
  { "DE", "Gailingen|Büsingen|Busingen", ALL_ZONES },
  { "DE", "*", "Europe/Berlin" },

  /* New Zealand: the Chatham Islands. */
  { "NZ", "New Zealand", ALL_ZONES },
  { "NZ", "Chatham Islands|Waitangi (Chatham Is.)", "Pacific/Chatham" },
  { "NZ", "*", "Pacific/Auckland" },

  /* China: Xinjiang has its own (unofficial, widely used) zone. */
  { "CN", "China", ALL_ZONES },
  { "CN", "Xinjiang|Urumqi", ALL_ZONES },
  { "CN", "*", "Asia/Shanghai" },

  /* Malaysia: Sabah and Sarawak (same clock as the peninsula). */
  { "MY", "Malaysia", ALL_ZONES },
  { "MY", "Kuching|Kota Kinabalu|Miri|Sibu|Sandakan|Tawau|Bintulu|Lahad Datu|Keningau|"
          "Labuan|Sabah|Sarawak", "Asia/Kuching" },
  { "MY", "Kuala Lumpur|Petaling Jaya|Shah Alam|Johor Bahru|George Town|Penang|Ipoh|"
          "Malacca|Melaka|Seremban|Kuantan|Kota Bharu|Kuala Terengganu|Alor Setar|Klang",
    "Asia/Kuala_Lumpur" },

  /* Greenland. */
  { "GL", "Greenland", ALL_ZONES },
  { "GL", "Ittoqqortoormiit|Scoresbysund", "America/Scoresbysund" },
  { "GL", "Qaanaaq|Pituffik|Thule", "America/Thule" },
  { "GL", "Danmarkshavn", "America/Danmarkshavn" },
  { "GL", "*", "America/Nuuk" },

  /* Palestine. */
  { "PS", "Palestinian Territories", ALL_ZONES },
  { "PS", "Gaza|North Gaza|Khan Yunis|Rafah|Deir al-Balah", "Asia/Gaza" },
  { "PS", "*", "Asia/Hebron" },

  /* Kiribati: Gilbert, Phoenix and Line Islands. */
  { "KI", "Kiribati", ALL_ZONES },
  { "KI", "Kiritimati|Fanning|Washington|Line Islands|Tabuaeran|Teraina",
    "Pacific/Kiritimati" },
  { "KI", "Kanton|Phoenix Islands", "Pacific/Kanton" },
  { "KI", "*", "Pacific/Tarawa" },

  /* French Polynesia. */
  { "PF", "French Polynesia|Polynesia|Remote Archipelago", ALL_ZONES },
  { "PF", "Îles du Vent(IDV)|Îles Sous-le-vent(ISLV)|Tahiti|Papeete", "Pacific/Tahiti" },

  /* Papua New Guinea: Bougainville is in the Islands region. */
  { "PG", "Papua New Guinea|Islands", ALL_ZONES },
  { "PG", "*", "Pacific/Port_Moresby" },
};

/* Where the location says nothing, the first digits of the national number
 * narrow the zones in countries whose area codes follow them. */
typedef struct
{
  const char *region;
  const char *prefix;
  const char *zones;
} PrefixRule;

static const PrefixRule prefix_rules[] = {
  /* 02 New South Wales and the ACT (Lord Howe Island is geocoded by name;
   * Broken Hill has an 08 number), 03 Victoria and Tasmania, 07 Queensland,
   * 08 South and Western Australia and the Northern Territory. */
  { "AU", "2", SYDNEY },
  { "AU", "3", HOBART " " MELBOURNE },
  { "AU", "7", BRISBANE " Australia/Lindeman" },
  { "AU", "8", ADELAIDE " Australia/Broken_Hill " DARWIN " Australia/Eucla " PERTH },
};

typedef struct
{
  /* Region → GPtrArray of zone names (owned by the array), sorted. */
  GHashTable *country_zones;
  /* Every zone name tzdata lists, for checking the rules. */
  GHashTable *all_zones;
  /* "US\ncalifornia" (casefolded) → const ZoneRule *. */
  GHashTable *places;
  /* Region → const ZoneRule * of its "*" rule. */
  GHashTable *defaults;
} ZoneTables;

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static void
add_country_zone (ZoneTables *tables,
                  const char *region,
                  const char *zone)
{
  GPtrArray *zones = g_hash_table_lookup (tables->country_zones, region);

  if (zones == NULL)
    {
      zones = g_ptr_array_new_with_free_func (g_free);
      g_hash_table_insert (tables->country_zones, g_strdup (region), zones);
    }

  for (guint i = 0; i < zones->len; i++)
    {
      if (strcmp (g_ptr_array_index (zones, i), zone) == 0)
        return;
    }

  g_ptr_array_add (zones, g_strdup (zone));
  g_hash_table_add (tables->all_zones, g_strdup (zone));
}

/* Reads a tzdata table: "CC[,CC…]\tcoordinates\tZone[\tcomments]".
 * With @only_missing, countries that already have zones are skipped (the
 * fallback from zone.tab to zone1970.tab). */
static gboolean
load_zone_table (ZoneTables *tables,
                 const char *path,
                 gboolean    only_missing)
{
  g_autofree char *contents = NULL;
  g_autoptr(GHashTable) had = NULL;
  char **lines;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return FALSE;

  if (only_missing)
    {
      GHashTableIter iter;
      gpointer key;

      had = g_hash_table_new (g_str_hash, g_str_equal);
      g_hash_table_iter_init (&iter, tables->country_zones);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        g_hash_table_add (had, key);
    }

  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = NULL;
      g_auto(GStrv) codes = NULL;

      if (lines[i][0] == '#' || lines[i][0] == '\0')
        continue;

      fields = g_strsplit (lines[i], "\t", 4);
      if (g_strv_length (fields) < 3)
        continue;

      codes = g_strsplit (fields[0], ",", -1);
      for (guint j = 0; codes[j] != NULL; j++)
        {
          if (had != NULL && g_hash_table_contains (had, codes[j]))
            continue;
          add_country_zone (tables, codes[j], g_strstrip (fields[2]));
        }
    }
  g_strfreev (lines);

  return TRUE;
}

static char *
place_key (const char *region,
           const char *place,
           gssize      length)
{
  g_autofree char *folded = g_utf8_casefold (place, length);

  return g_strconcat (region, "\n", g_strstrip (folded), NULL);
}

static gpointer
load_tables (gpointer data)
{
  ZoneTables *tables = g_new0 (ZoneTables, 1);
  g_autofree char *dir = g_path_get_dirname (TC_ZONE1970_TAB);
  g_autofree char *zone_tab = g_build_filename (dir, "zone.tab", NULL);
  gboolean loaded;
  GHashTableIter iter;
  gpointer value;

  tables->country_zones = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                 (GDestroyNotify) g_ptr_array_unref);
  tables->all_zones = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  tables->places = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  tables->defaults = g_hash_table_new (g_str_hash, g_str_equal);

  loaded = load_zone_table (tables, zone_tab, FALSE);
  loaded = load_zone_table (tables, TC_ZONE1970_TAB, loaded) || loaded;
  if (!loaded)
    g_warning ("Cannot read the time-zone tables %s or %s: phone numbers get no time zones",
               zone_tab, TC_ZONE1970_TAB);

  g_hash_table_iter_init (&iter, tables->country_zones);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_sort (value, compare_strings);

  for (guint i = 0; i < G_N_ELEMENTS (zone_rules); i++)
    {
      const ZoneRule *rule = &zone_rules[i];
      const char *p = rule->places;

      while (*p != '\0')
        {
          const char *end = strchr (p, '|');
          gsize len = end != NULL ? (gsize) (end - p) : strlen (p);

          if (len == 1 && *p == '*')
            g_hash_table_insert (tables->defaults, (gpointer) rule->region, (gpointer) rule);
          else
            g_hash_table_insert (tables->places, place_key (rule->region, p, len),
                                 (gpointer) rule);

          p += len;
          if (*p == '|')
            p++;
        }
    }

  return tables;
}

static ZoneTables *
get_tables (void)
{
  static GOnce once = G_ONCE_INIT;

  return g_once (&once, load_tables, NULL);
}

static GPtrArray *
zones_of_region (ZoneTables *tables,
                 const char *region)
{
  if (region == NULL)
    return NULL;

  return g_hash_table_lookup (tables->country_zones, region);
}

/* Adds the zones of @rule (its country's zones for ALL_ZONES) to @out. */
static void
add_rule_zones (GPtrArray  *out,
                GPtrArray  *country,
                const char *zones)
{
  g_auto(GStrv) names = NULL;

  if (strcmp (zones, ALL_ZONES) == 0)
    {
      for (guint i = 0; i < country->len; i++)
        g_ptr_array_add (out, g_strdup (g_ptr_array_index (country, i)));
      return;
    }

  names = g_strsplit (zones, " ", -1);
  for (guint i = 0; names[i] != NULL; i++)
    {
      if (names[i][0] != '\0')
        g_ptr_array_add (out, g_strdup (names[i]));
    }
}

static const ZoneRule *
lookup_place (ZoneTables *tables,
              const char *region,
              const char *place,
              gssize      length)
{
  g_autofree char *key = place_key (region, place, length);

  return g_hash_table_lookup (tables->places, key);
}

/* Resolves a geocoder description into @out. Tried in turn: the whole text
 * ("El Paso, TX"); its subdivision after the last ", " or " - " ("TX",
 * "AM"); each part of a "/"-list ("Chiapas/Tabasco"), all of which must
 * resolve; and last the country's "*" rule. */
static gboolean
resolve_place (ZoneTables *tables,
               const char *region,
               GPtrArray  *country,
               const char *place,
               GPtrArray  *out)
{
  const ZoneRule *rule;
  const char *sub;
  const char *dash;

  rule = lookup_place (tables, region, place, -1);
  if (rule != NULL)
    {
      add_rule_zones (out, country, rule->zones);
      return TRUE;
    }

  sub = g_strrstr (place, ", ");
  dash = g_strrstr (place, " - ");
  if (dash != NULL && (sub == NULL || dash > sub))
    sub = dash + 3;
  else if (sub != NULL)
    sub = sub + 2;

  if (sub != NULL && *sub != '\0')
    {
      rule = lookup_place (tables, region, sub, -1);
      if (rule != NULL)
        {
          add_rule_zones (out, country, rule->zones);
          return TRUE;
        }
    }

  if (strchr (place, '/') != NULL)
    {
      g_auto(GStrv) parts = g_strsplit (place, "/", -1);
      guint before = out->len;
      gboolean all = TRUE;

      for (guint i = 0; parts[i] != NULL && all; i++)
        all = resolve_place (tables, region, country, g_strstrip (parts[i]), out);
      if (all)
        return TRUE;
      g_ptr_array_set_size (out, before);
    }

  rule = g_hash_table_lookup (tables->defaults, region);
  if (rule != NULL)
    {
      add_rule_zones (out, country, rule->zones);
      return TRUE;
    }

  return FALSE;
}

static char **
to_sorted_strv (GPtrArray *zones)
{
  GPtrArray *out = g_ptr_array_new ();

  g_ptr_array_sort (zones, compare_strings);
  for (guint i = 0; i < zones->len; i++)
    {
      char *zone = g_ptr_array_index (zones, i);

      if (out->len > 0 && strcmp (g_ptr_array_index (out, out->len - 1), zone) == 0)
        continue;
      g_ptr_array_add (out, g_strdup (zone));
    }
  g_ptr_array_add (out, NULL);

  return (char **) g_ptr_array_free (out, FALSE);
}

gboolean
_tc_phone_region_has_several_zones (const char *region)
{
  GPtrArray *country = zones_of_region (get_tables (), region);

  return country != NULL && country->len > 1;
}

char **
_tc_phone_timezones_for_number (const char *region,
                                const char *location,
                                const char *national_number)
{
  ZoneTables *tables = get_tables ();
  g_autoptr(GPtrArray) zones = g_ptr_array_new_with_free_func (g_free);
  GPtrArray *country;
  char canonical[3] = { 0, };

  /* Accept "us" as well as "US", like tc_phone_parse(). */
  if (region != NULL && strlen (region) == 2)
    {
      canonical[0] = g_ascii_toupper (region[0]);
      canonical[1] = g_ascii_toupper (region[1]);
      region = canonical;
    }

  country = zones_of_region (tables, region);
  if (country == NULL)
    return g_new0 (char *, 1);

  if (country->len > 1)
    {
      gboolean found = FALSE;

      if (location != NULL && *location != '\0')
        {
          g_autofree char *stripped = g_strstrip (g_strdup (location));

          found = resolve_place (tables, region, country, stripped, zones);
        }

      if (!found && national_number != NULL)
        {
          for (guint i = 0; i < G_N_ELEMENTS (prefix_rules) && !found; i++)
            {
              if (strcmp (prefix_rules[i].region, region) == 0 &&
                  g_str_has_prefix (national_number, prefix_rules[i].prefix))
                {
                  add_rule_zones (zones, country, prefix_rules[i].zones);
                  found = TRUE;
                }
            }
        }

      if (found)
        return to_sorted_strv (zones);
    }

  return to_sorted_strv (country);
}

char **
tc_phone_timezones_for (const char *region,
                        const char *location)
{
  return _tc_phone_timezones_for_number (region, location, NULL);
}

guint
_tc_phone_zone_rules_verify (GString *report)
{
  ZoneTables *tables = get_tables ();
  guint problems = 0;

  for (guint i = 0; i < G_N_ELEMENTS (zone_rules) + G_N_ELEMENTS (prefix_rules); i++)
    {
      const char *region;
      const char *zones;
      g_auto(GStrv) names = NULL;

      if (i < G_N_ELEMENTS (zone_rules))
        {
          region = zone_rules[i].region;
          zones = zone_rules[i].zones;
        }
      else
        {
          region = prefix_rules[i - G_N_ELEMENTS (zone_rules)].region;
          zones = prefix_rules[i - G_N_ELEMENTS (zone_rules)].zones;
        }

      if (!_tc_phone_region_has_several_zones (region))
        {
          g_string_append_printf (report, "%s: not a multi-zone country in tzdata\n", region);
          problems++;
        }

      if (strcmp (zones, ALL_ZONES) == 0)
        continue;

      names = g_strsplit (zones, " ", -1);
      for (guint j = 0; names[j] != NULL; j++)
        {
          GPtrArray *country = zones_of_region (tables, region);
          gboolean listed = FALSE;

          if (names[j][0] == '\0')
            continue;
          for (guint k = 0; country != NULL && k < country->len && !listed; k++)
            listed = strcmp (g_ptr_array_index (country, k), names[j]) == 0;
          /* Crimea: tzdata lists Simferopol under UA only, and Russian-plan
           * numbers from there still belong in it. */
          if (!listed && strcmp (region, "RU") == 0 && strcmp (names[j], "Europe/Simferopol") == 0)
            listed = g_hash_table_contains (tables->all_zones, names[j]);
          if (!listed)
            {
              g_string_append_printf (report, "%s: zone %s is not one of the country's zones\n",
                                      region, names[j]);
              problems++;
            }
        }
    }

  return problems;
}

/* Subdivisions */

typedef struct
{
  const char *region;
  const char *code;
  /* Names the geocoder uses for the whole state or province, '|'-separated. */
  const char *names;
} Subdivision;

static const Subdivision subdivisions[] = {
  { "US", "AL", "Alabama" }, { "US", "AK", "Alaska" }, { "US", "AZ", "Arizona" },
  { "US", "AR", "Arkansas" }, { "US", "CA", "California" }, { "US", "CO", "Colorado" },
  { "US", "CT", "Connecticut" }, { "US", "DE", "Delaware" },
  { "US", "DC", "Washington D.C.|Washington DC|District of Columbia" },
  { "US", "FL", "Florida" }, { "US", "GA", "Georgia" }, { "US", "HI", "Hawaii" },
  { "US", "ID", "Idaho" }, { "US", "IL", "Illinois" }, { "US", "IN", "Indiana" },
  { "US", "IA", "Iowa" }, { "US", "KS", "Kansas" }, { "US", "KY", "Kentucky" },
  { "US", "LA", "Louisiana" }, { "US", "ME", "Maine" }, { "US", "MD", "Maryland" },
  { "US", "MA", "Massachusetts" }, { "US", "MI", "Michigan" }, { "US", "MN", "Minnesota" },
  { "US", "MS", "Mississippi" }, { "US", "MO", "Missouri" }, { "US", "MT", "Montana" },
  { "US", "NE", "Nebraska" }, { "US", "NV", "Nevada" }, { "US", "NH", "New Hampshire" },
  { "US", "NJ", "New Jersey" }, { "US", "NM", "New Mexico" }, { "US", "NY", "New York" },
  { "US", "NC", "North Carolina" }, { "US", "ND", "North Dakota" }, { "US", "OH", "Ohio" },
  { "US", "OK", "Oklahoma" }, { "US", "OR", "Oregon" },
  /* The geocoder names Philadelphia numbers by the city alone. */
  { "US", "PA", "Pennsylvania|Philadelphia" },
  { "US", "RI", "Rhode Island" }, { "US", "SC", "South Carolina" },
  { "US", "SD", "South Dakota" }, { "US", "TN", "Tennessee" }, { "US", "TX", "Texas" },
  { "US", "UT", "Utah" }, { "US", "VT", "Vermont" }, { "US", "VA", "Virginia" },
  /* "Washington" alone could be the state or the capital: only the
   * geocoder's "Washington State" is taken. */
  { "US", "WA", "Washington State" },
  { "US", "WV", "West Virginia" }, { "US", "WI", "Wisconsin" }, { "US", "WY", "Wyoming" },

  { "CA", "AB", "Alberta" }, { "CA", "BC", "British Columbia" }, { "CA", "MB", "Manitoba" },
  { "CA", "NB", "New Brunswick" }, { "CA", "NL", "Newfoundland and Labrador|Newfoundland" },
  { "CA", "NS", "Nova Scotia" }, { "CA", "NT", "Northwest Territories" },
  { "CA", "NU", "Nunavut" }, { "CA", "ON", "Ontario" },
  { "CA", "PE", "Prince Edward Island" }, { "CA", "QC", "Quebec|Québec" },
  { "CA", "SK", "Saskatchewan" }, { "CA", "YT", "Yukon" },
};

static gboolean
name_in_list (const char *names,
              const char *text,
              gsize       len)
{
  const char *p = names;

  while (*p != '\0')
    {
      const char *end = strchr (p, '|');
      gsize n = end != NULL ? (gsize) (end - p) : strlen (p);

      if (n == len && g_ascii_strncasecmp (p, text, n) == 0)
        return TRUE;
      p += n;
      if (*p == '|')
        p++;
    }

  return FALSE;
}

/* The subdivision that @text (a whole name or a two-letter code, @len
 * bytes) stands for in @region, or NULL. */
static const Subdivision *
find_subdivision (const char *region,
                  const char *text,
                  gsize       len)
{
  for (guint i = 0; i < G_N_ELEMENTS (subdivisions); i++)
    {
      const Subdivision *s = &subdivisions[i];

      if (strcmp (s->region, region) != 0)
        continue;
      if (len == 2 && g_ascii_strncasecmp (s->code, text, 2) == 0)
        return s;
      if (name_in_list (s->names, text, len))
        return s;
    }

  return NULL;
}

char *
tc_phone_subdivision (const char *region,
                      const char *location)
{
  g_autofree char *text = NULL;
  const Subdivision *found;
  const char *comma;
  char canonical[3];

  if (region == NULL || location == NULL || strlen (region) != 2)
    return NULL;

  canonical[0] = g_ascii_toupper (region[0]);
  canonical[1] = g_ascii_toupper (region[1]);
  canonical[2] = '\0';
  if (strcmp (canonical, "US") != 0 && strcmp (canonical, "CA") != 0)
    return NULL;

  text = g_strstrip (g_strdup (location));

  /* "Florida", "FL", "Washington D.C." */
  found = find_subdivision (canonical, text, strlen (text));
  if (found != NULL)
    return g_strdup (found->code);

  /* "Miami, FL", "Washington, DC": the code after the last comma. A whole
   * name there ("Springfield, Illinois") is taken too. */
  comma = strrchr (text, ',');
  if (comma != NULL)
    {
      const char *tail = comma + 1;
      gsize len;

      while (*tail == ' ')
        tail++;
      len = strlen (tail);
      found = find_subdivision (canonical, tail, len);
      if (found != NULL)
        return g_strdup (found->code);
    }

  return NULL;
}
