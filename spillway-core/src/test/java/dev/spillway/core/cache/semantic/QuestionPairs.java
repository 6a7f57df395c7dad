package dev.spillway.core.cache.semantic;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The project's own labelled question pairs, made from templates and slots: hard negatives (two questions a cache must
 * not answer alike though their words nearly agree: an antonym, a negation, another number, another name, names in
 * another order) and true paraphrases of the same questions (other phrasings, politeness, casing, punctuation).
 *
 * <p>Each family has phrasings ("How do I {x}?", "How can I {x}?"...) and contrasts (two fills of {x} that ask
 * different things). A hard negative is one phrasing with the two fills of a contrast; a paraphrase is one fill in two
 * phrasings, or in one phrasing and a restyled copy (lower case without the question mark, a greeting before it...).
 * Deterministic: the same lists every run. Used by the guard's tests, {@code SemanticPrecisionTest} and the cache
 * precision benchmark.
 */
public final class QuestionPairs {

  /** Two questions and what sets them apart ({@code kind}: antonym, negation, number, name, order, paraphrase). */
  public record Pair(String kind, String a, String b) {}

  private record Family(String kind, List<String> phrasings, List<String[]> contrasts) {}

  private QuestionPairs() {}

  /** The hard negatives: at least 200 pairs that must never share an answer. */
  public static List<Pair> hardNegatives() {
    Set<Pair> out = new LinkedHashSet<>();
    for (Family f : families()) {
      for (int c = 0; c < f.contrasts.size(); c++) {
        String[] x = f.contrasts.get(c);
        // Two phrasings per contrast, chosen in turn, so every phrasing is used.
        for (int k = 0; k < Math.min(2, f.phrasings.size()); k++) {
          String p = f.phrasings.get((c + k) % f.phrasings.size());
          out.add(new Pair(f.kind, fill(p, x[0]), fill(p, x[1])));
        }
      }
    }
    return List.copyOf(out);
  }

  /** The true paraphrases: the questions of the hard negatives, each asked two ways. */
  public static List<Pair> paraphrases() {
    Set<Pair> out = new LinkedHashSet<>();
    for (Family f : families()) {
      for (int c = 0; c < f.contrasts.size(); c++) {
        for (String x : f.contrasts.get(c)) {
          String base = fill(f.phrasings.get(c % f.phrasings.size()), x);
          if (f.phrasings.size() > 1) {
            out.add(new Pair("paraphrase", base, fill(f.phrasings.get((c + 1) % f.phrasings.size()), x)));
          }
          out.add(new Pair("paraphrase", base, restyle(base, c)));
        }
      }
    }
    return List.copyOf(out);
  }

  /**
   * Pairs that ask different things in ways the guards do not read: common words swapped in place, names typed in
   * lower case, one common noun for another. Only the similarity threshold stands between them; the benchmark reports
   * how many of them it lets through, nothing asserts on them.
   */
  public static List<Pair> beyondGuards() {
    return contrasts(
        "does hot water freeze faster than cold water?|does cold water freeze faster than hot water?",
        "why does my cat chase my dog?|why does my dog chase my cat?",
        "how do i learn python fast|how do i learn java fast",
        "what is the capital of france|what is the capital of germany",
        "how long to cook salmon in the oven|how long to cook chicken in the oven",
        "what do you call a baby cat|what do you call a baby dog",
        "best laptop for programming|best laptop for gaming",
        "how to remove a stain from a cotton shirt|how to remove a stain from a silk shirt",
        "is tea healthier than coffee?|is coffee healthier than tea?",
        "what is the difference between tcp and udp|what is the difference between tcp and http",
        "what is the difference between a virus and a bacterium?|what is the difference between a virus and a fungus?",
        "recipe for vegan chocolate cake|recipe for gluten-free chocolate cake")
        .stream().map(x -> new Pair("beyond", x[0], x[1])).toList();
  }

  private static String fill(String phrasing, String x) {
    String q = phrasing.replace("{x}", x);
    return phrasing.startsWith("{x}") ? Character.toUpperCase(q.charAt(0)) + q.substring(1) : q;
  }

  /** The same question in another style: casual lower case, a greeting, a polite frame, a "quick question". */
  static String restyle(String q, int which) {
    String bare = q.endsWith("?") || q.endsWith(".") ? q.substring(0, q.length() - 1) : q;
    return switch (which % 4) {
      case 0 -> bare.toLowerCase(Locale.ROOT);
      case 1 -> "Hi! " + q + " Thanks.";
      case 2 -> "Quick question: " + q;
      default -> bare + " ??";
    };
  }

  private static List<Family> families() {
    List<Family> f = new ArrayList<>();
    f.add(new Family("antonym",
        List.of("How do I {x}?", "How can I {x}?", "What are the steps to {x}?", "how to {x}",
            "Can you explain how to {x}?"),
        contrasts(
            "enable dark mode in Chrome|disable dark mode in Chrome",
            "enable notifications on my iPhone|disable notifications on my iPhone",
            "enable 2FA on my GitHub account|disable 2FA on my GitHub account",
            "turn on Bluetooth on my laptop|turn off Bluetooth on my laptop",
            "turn on location services on Android|turn off location services on Android",
            "allow pop-ups in Firefox|block pop-ups in Firefox",
            "allow cookies for a single site in Safari|block cookies for a single site in Safari",
            "install Docker on Ubuntu|uninstall Docker on Ubuntu",
            "install the Slack app on my Mac|uninstall the Slack app on my Mac",
            "lock my SIM card|unlock my SIM card",
            "lock cells in an Excel sheet|unlock cells in an Excel sheet",
            "encrypt a PDF file with a password|decrypt a PDF file with a password",
            "encrypt files with GPG|decrypt files with GPG",
            "upload photos to Google Drive|download photos to Google Drive",
            "import contacts from Outlook|export contacts from Outlook",
            "import a CSV file into PostgreSQL|export a CSV file into PostgreSQL",
            "subscribe to the weekly newsletter|unsubscribe from the weekly newsletter",
            "connect my printer to Wi-Fi|disconnect my printer from Wi-Fi",
            "show the taskbar in Windows|hide the taskbar in Windows",
            "mute a channel in Slack|unmute a channel in Slack",
            "mute myself on Zoom|unmute myself on Zoom",
            "increase the font size in VS Code|decrease the font size in VS Code",
            "increase the swap size on Linux|decrease the swap size on Linux",
            "add a printer on my PC|remove a printer on my PC",
            "add a user to a group in Linux|remove a user from a group in Linux",
            "accept a pull request on GitHub|reject a pull request on GitHub",
            "accept a meeting invite in Outlook|decline a meeting invite in Outlook",
            "sign in to Netflix on my TV|sign out of Netflix on my TV",
            "log in to my Gmail account|log out of my Gmail account",
            "start a Docker container|stop a Docker container",
            "start the MySQL service at boot|stop the MySQL service at boot",
            "open port 8080 in the firewall|close port 8080 in the firewall",
            "buy Bitcoin on Coinbase|sell Bitcoin on Coinbase",
            "buy a used car privately|sell a used car privately",
            "push changes to a remote branch in Git|pull changes from a remote branch in Git",
            "read a JSON file in Python|write a JSON file in Python",
            "compress a folder with tar|decompress a folder with tar",
            "zip files on a Mac|unzip files on a Mac",
            "follow someone on Instagram|unfollow someone on Instagram",
            "maximize a window with the keyboard|minimize a window with the keyboard",
            "include a folder in Time Machine backups|exclude a folder from Time Machine backups",
            "pin a message in Teams|unpin a message in Teams",
            "archive an email in Outlook|unarchive an email in Outlook",
            "encode a URL in JavaScript|decode a URL in JavaScript",
            "sort a list in ascending order in Python|sort a list in descending order in Python")));
    f.add(new Family("antonym",
        List.of("{x}", "I was wondering: {x}", "Tell me, {x}"),
        contrasts(
            "what is the maximum attachment size in Gmail?|what is the minimum attachment size in Gmail?",
            "what is the cheapest way to travel from London to Paris?"
                + "|what is the most expensive way to travel from London to Paris?",
            "should I stretch before a run?|should I stretch after a run?",
            "what is the highest mountain in Europe?|what is the lowest mountain in Europe?",
            "which is the fastest sorting algorithm?|which is the slowest sorting algorithm?",
            "what are the best practices for REST APIs?|what are the worst practices for REST APIs?",
            "is it safe to eat raw eggs?|is it unsafe to eat raw eggs?",
            "is Python faster than Java?|is Python slower than Java?",
            "what is the oldest Android version that still gets updates?"
                + "|what is the newest Android version that still gets updates?",
            "is it legal to drive barefoot in California?|is it illegal to drive barefoot in California?",
            "what are the advantages of microservices?|what are the disadvantages of microservices?",
            "what are the pros of remote work?|what are the cons of remote work?",
            "is this airline ticket refundable?|is this airline ticket nonrefundable?",
            "what is the earliest check-in time at the Hilton?|what is the latest check-in time at the Hilton?",
            "what is the most popular programming language?|what is the least popular programming language?",
            "is it possible to recover deleted WhatsApp messages?"
                + "|is it impossible to recover deleted WhatsApp messages?",
            "what is the upper limit for a Roth IRA contribution?"
                + "|what is the lower limit for a Roth IRA contribution?",
            "is coffee good for your heart?|is coffee bad for your heart?",
            "which foods are high in iron?|which foods are low in iron?",
            "is it better to rent or to buy a house?|is it worse to rent or to buy a house?",
            "is public Wi-Fi safe for online banking?|is private Wi-Fi safe for online banking?",
            "why does the moon look bigger near the horizon?|why does the moon look smaller near the horizon?",
            "is it true that bats are blind?|is it false that bats are blind?",
            "what should I do before a job interview?|what should I do after a job interview?")));
    f.add(new Family("negation",
        List.of("{x}", "Quick one: {x}", "{x} Any ideas?"),
        contrasts(
            "why is my laptop charging?|why is my laptop not charging?",
            "why does my Wi-Fi connect automatically?|why doesn't my Wi-Fi connect automatically?",
            "what happens if I pay my credit card bill on time?|what happens if I don't pay my credit card bill on time?",
            "can I use Excel with a Microsoft account?|can I use Excel without a Microsoft account?",
            "which vitamins should be taken together?|which vitamins should not be taken together?",
            "why do I get email notifications on my phone?|why do I never get email notifications on my phone?",
            "how do I know if my phone is hacked?|how do I know if my phone is not hacked?",
            "is there a way to run Docker as root?|is there a way to run Docker without root?",
            "which countries require a visa for US citizens?|which countries do not require a visa for US citizens?",
            "why can I log in to my bank account?|why can't I log in to my bank account?",
            "should I drink coffee before a workout?|should I not drink coffee before a workout?",
            "why does my app work on Android 14?|why doesn't my app work on Android 14?",
            "which foods are safe for dogs?|which foods aren't safe for dogs?",
            "is coding required for this course?|is no coding required for this course?",
            "why is my printer printing in color?|why isn't my printer printing in color?",
            "how can I tell if an egg is fresh?|how can I tell if an egg is not fresh?",
            "does my insurance cover dental implants?|does my insurance not cover dental implants?",
            "why did my package arrive on time?|why didn't my package arrive on time?",
            "which programming languages have garbage collection?|which programming languages have no garbage collection?",
            "why will my car start in cold weather?|why won't my car start in cold weather?",
            "is it normal for a cat to eat grass?|is it never normal for a cat to eat grass?",
            "can I return an item I bought on sale?|can I return an item I bought not on sale?")));
    f.add(new Family("number",
        List.of("{x}", "Hey, {x}", "Please answer: {x}"),
        contrasts(
            "how do I upgrade from Python 3.11 to 3.12?|how do I upgrade from Python 3.10 to 3.12?",
            "what is 15% of 200?|what is 25% of 200?",
            "convert 5 km to miles.|convert 50 km to miles.",
            "book a table for two at 7 pm.|book a table for four at 7 pm.",
            "what was the inflation rate in 2022?|what was the inflation rate in 2023?",
            "is GPT-4 better than GPT-3.5?|is GPT-4 better than GPT-4o?",
            "what happened on July 4, 1776?|what happened on July 4, 1976?",
            "how much is $50 in euros?|how much is $500 in euros?",
            "what is the weather forecast for Monday?|what is the weather forecast for Tuesday?",
            "how many calories are in 2 eggs?|how many calories are in 3 eggs?",
            "how long does it take to walk 5 miles?|how long does it take to walk 10 miles?",
            "is 18 the legal drinking age in Canada?|is 21 the legal drinking age in Canada?",
            "who won the World Cup in 2014?|who won the World Cup in 2018?",
            "what is the first law of thermodynamics?|what is the third law of thermodynamics?",
            "how do I split a string into two parts in Java?|how do I split a string into three parts in Java?",
            "what is the square root of 144?|what is the square root of 169?",
            "set an alarm for 6 am tomorrow.|set an alarm for 7 am tomorrow.",
            "what is the speed limit on I-95?|what is the speed limit on I-85?",
            "can I run Windows 10 on a Mac?|can I run Windows 11 on a Mac?",
            "is the iPhone 14 waterproof?|is the iPhone 15 waterproof?",
            "what is the boiling point of water at 1,000 meters?|what is the boiling point of water at 2,000 meters?",
            "give me a 5-day meal plan.|give me a 7-day meal plan.",
            "how much RAM does Node.js 18 need?|how much RAM does Node.js 20 need?",
            "can a 12-year-old open a bank account?|can a 14-year-old open a bank account?",
            "what is 7 times 8?|what is 8 times 8?",
            "set a timer for 10 minutes.|set a timer for 15 minutes.",
            "what is the capital gains tax rate for 2024?|what is the capital gains tax rate for 2025?",
            "what does HTTP status 404 mean?|what does HTTP status 500 mean?",
            "is the store open on December 24?|is the store open on December 26?",
            "how much is 100 USD in euros?|how much is 100 GBP in euros?",
            "what is the second largest city in France?|what is the third largest city in France?")));
    f.add(new Family("name",
        List.of("{x}", "Quick question: {x}", "I need help. {x}"),
        contrasts(
            "how do I deploy a Docker container on AWS?|how do I deploy a Docker container on GCP?",
            "what's the weather like in Paris this weekend?|what's the weather like in London this weekend?",
            "what is the population of Canada?|what is the population of Australia?",
            "what does `git rebase` do?|what does `git merge` do?",
            "send an email to alice@example.com about the meeting.|send an email to bob@example.com about the meeting.",
            "summarize the article at https://example.com/news/42.|summarize the article at https://example.com/news/43.",
            "what's the difference between React and Angular?|what's the difference between Vue and Angular?",
            "is Rust faster than C++?|is Go faster than C++?",
            "who is the CEO of Apple?|who is the CEO of Microsoft?",
            "what time does Walmart close on Sundays?|what time does Target close on Sundays?",
            "how do I install TensorFlow on Windows?|how do I install PyTorch on Windows?",
            "how do I fix 'ModuleNotFoundError: No module named numpy'?"
                + "|how do I fix 'ModuleNotFoundError: No module named pandas'?",
            "what's the distance from Tokyo to Kyoto?|what's the distance from Osaka to Kyoto?",
            "translate 'good morning' into French.|translate 'good morning' into German.",
            "compare Netflix and Disney+ plans.|compare Hulu and Disney+ plans.",
            "is Harvard better than MIT for computer science?|is Stanford better than MIT for computer science?",
            "who wrote Hamlet?|who wrote Macbeth?",
            "what does the getUser function return?|what does the getUsers function return?",
            "how do I read config.yaml in Python?|how do I read settings.yaml in Python?",
            "is Mount Everest the tallest mountain on Earth?|is K2 the tallest mountain on Earth?",
            "can I bring my dog to Yellowstone?|can I bring my dog to Yosemite?",
            "what is the capital of Australia?|what is the capital of Austria?",
            "how do I use the \"pandas\" library?|how do I use the \"polars\" library?",
            "what is Kubernetes used for?|what is Terraform used for?")));
    f.add(new Family("order",
        List.of("{x}", "Hi, {x}", "{x} Thank you!"),
        contrasts(
            "how do I migrate from MySQL to PostgreSQL?|how do I migrate from PostgreSQL to MySQL?",
            "find flights from Boston to Denver next Friday.|find flights from Denver to Boston next Friday.",
            "book a train from New York to Chicago.|book a train from Chicago to New York.",
            "how do I convert Celsius to Fahrenheit?|how do I convert Fahrenheit to Celsius?",
            "how do I transfer money from PayPal to Venmo?|how do I transfer money from Venmo to PayPal?",
            "how do I move photos from Android to iPhone?|how do I move photos from iPhone to Android?",
            "translate this sentence from English to Spanish.|translate this sentence from Spanish to English.",
            "is it cheaper to fly from Berlin to Rome or by train?|is it cheaper to fly from Rome to Berlin or by train?",
            "how do I switch from Windows to Linux?|how do I switch from Linux to Windows?",
            "how long is the drive from Seattle to Portland?|how long is the drive from Portland to Seattle?")));
    return f;
  }

  private static List<String[]> contrasts(String... lines) {
    List<String[]> out = new ArrayList<>();
    for (String l : lines) {
      String[] x = l.split("\\|");
      if (x.length != 2) {
        throw new IllegalArgumentException("a contrast is two fills: " + l);
      }
      out.add(x);
    }
    return out;
  }
}
