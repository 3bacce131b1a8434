"""The demo scenario behind ``sango demo_setup``: a believable month in 総社市 and 熊本市.

Not a Django app: plain modules that build the demo through the real services, as staff,
facilities and mothers would, relative to the day it runs. Every person, address and phone
number in it is invented.
"""
