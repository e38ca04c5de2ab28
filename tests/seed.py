"""The seed article, quoted for tests only (a 2017 content-farm page; never shipped as data)."""

SEED_URL = "https://www.gamesworlditalia.com/xiaomi-in-talks-with-carriers-to-launch-flagship-smartphones-in-the-us/"
SEED_DATE = "2017-12-18"

SEED = """Xiaomi in talks with carriers to launch flagship smartphones in the US


In years past, it's been insulated from competition by strong support from carriers, which used to subsidize its expensive iPhones and lowered the upfront price for customers.

Huawei is the third-largest smartphone vendor worldwide and has been promoting its products in North America via cooperation with local telecom carriers. Huawei is in talks to sell a flagship line via US carriers, but the Chinese company also plans to sell the Mate 10 device through e-commerce channels, the people said.

Xiaomi says it hasn't rushed into the USA is that it doesn't want to disappoint the fans it does have there.

It is not just Huawei that wants to enter the US; the latest report amongst people close to this information claim that even Xiaomi is negotiating agreements with carriers in a bid to enter this market. For the time being, the Chinese company plans to open retail stores across the country to sell fitness trackers, thermostats, and vacuum cleaner, which will help build its brand ahead of the smartphone launch. It may consolidate its position further in the market once it properly brings its handsets to the U.S.

And it's not only the budget Chinese phones catching up either.

The Huawei Mate 9, a $500 rival to the iPhone.

The U.S. phone market is dominated by Apple and Samsung Electronics Co.

If the conditions are met in a amicable manner between both Xiaomi and carriers such as AT&T, Verizon, it is more than possible that the Mi7 could be seen officially sold in the US though Bloomberg reports that there is a possibility that no agreements take place at all. Verizon sells Google Pixel phones, and Sprint offers Andy Rubin's Essential handset exclusively.

That's why Xiaomi needs to strike a deal with one or more of the country's largest carriers.

Top Chinese smartphone manufacturers like Xiaomi are known very well in a lot of markets across the globe.

Apple has emerged as one of the biggest victims of these changes because its phones tend to cost more.

Still, that represents some improvement.

Tim Cook, Apple's chief executive officer, spoke at China's World Internet Conference in Wuzhen this month for the first time, emphasizing the importance of the market."""
