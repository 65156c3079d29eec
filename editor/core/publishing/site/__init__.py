"""The static site: generations swapped in whole, listing pages, feed and sitemap."""
